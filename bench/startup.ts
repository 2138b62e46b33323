import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { packagePath } from '../src/package/root.ts';
import type { BenchRow } from './row.ts';

// Start-up of the compiled `relspec serve` (dist/cli, as installed), which
// conform and the crash phases start hundreds of times: each run answers
// hello and bye. Runs alternate with `node -e 0` so that both see the same
// machine load; the ratio of the medians is the figure (target: 2x).
// bench/main.ts lists it as `{ name: 'serve start-up', run: () => benchStartup() }`.

const REQUESTS = '{"id":1,"op":"hello"}\n{"id":2,"op":"bye"}\n';

const timed = (args: readonly string[], input: string): number => {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { input, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
};

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const benchStartup = ({ starts = 30 } = {}): BenchRow => {
  const entry = packagePath('dist', 'cli', 'relspec.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  const serve: number[] = [];
  const bare: number[] = [];
  timed([entry, 'serve'], REQUESTS); // warm the file cache
  for (let i = 0; i < starts; i++) {
    bare.push(timed(['-e', '0'], ''));
    serve.push(timed([entry, 'serve'], REQUESTS));
  }
  const ratio = median(serve) / median(bare);
  const seconds = serve.reduce((a, b) => a + b, 0) / 1000;
  return {
    name: 'serve start-up (dist/cli)',
    size: 'hello + bye',
    event: 'start',
    events: starts,
    seconds,
    best: 1000 / Math.min(...serve),
    notes: `median ${median(serve).toFixed(0)} ms vs ${median(bare).toFixed(0)} ms for node -e 0: ${ratio.toFixed(2)}x (2x: ${ratio <= 2 ? 'met' : 'not met'})`,
  };
};
