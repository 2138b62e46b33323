// Hostile: answers hello, then nothing, ever (HOSTILE_HANG_HELLO: not even hello).
import { createInterface } from 'node:readline';
import { serveRaw } from './raw.ts';

if (process.env.HOSTILE_HANG_HELLO === '1') {
  createInterface({ input: process.stdin }).on('line', () => {});
} else serveRaw('hostile: hung', () => {});
