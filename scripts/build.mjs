// Builds the package: the library (tsc: JavaScript and .d.ts in dist/src,
// dist/spec) and the command line (esbuild: dist/cli/relspec.js, one bundle
// with a chunk per command, so a command loads only its own code and
// start-up reads a handful of files instead of hundreds).
// Usage: node scripts/build.mjs
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });

const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// fp-ts and io-ts ship ES modules next to their CommonJS: bundling those
// lets esbuild drop what the command line never calls.
const esModules = {
  name: 'fp-ts-es6',
  setup(b) {
    b.onResolve({ filter: /^(fp-ts|io-ts)\/lib\// }, (a) =>
      b.resolve(a.path.replace('/lib/', '/es6/'), { kind: a.kind, resolveDir: a.resolveDir }),
    );
  },
};

await build({
  entryPoints: { relspec: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  plugins: [esModules],
  // CommonJS dependencies call require() for node's built-in modules.
  banner: {
    js: "import { createRequire as __relspecRequire } from 'node:module';\nconst require = __relspecRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const entry = 'dist/cli/relspec.js';
writeFileSync(entry, `#!/usr/bin/env node\n${readFileSync(entry, 'utf8')}`);
chmodSync(entry, 0o755);
