#!/usr/bin/env node
// The command line from the TypeScript sources, through tsx's loader: what
// the tests and `npm run relspec` use, so they never run a stale build. The
// package's own `relspec` is the compiled dist/cli/relspec.js (npm run build).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
