import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_COMMAND } from '../src/cli/commands/conform.ts';
import { silentProgress } from '../src/conform/progress.ts';
import { runConform } from '../src/conform/run.ts';
import type { BenchRow } from './row.ts';

// Conformance throughput: `relspec conform --level exact --no-fixtures` on
// the built-in reference (`relspec serve`, fast engine), every scenario
// phase, with one job and then with two. A scenario is one event; start-up
// (the implementation processes, the worker threads) is included, as a
// user waits for it too.

const run = async (jobs: number, runs: number): Promise<{ scenarios: number; seconds: number }> => {
  const failures = await mkdtemp(join(tmpdir(), 'relspec-bench-conform-'));
  try {
    let scenarios = 0;
    const t0 = performance.now();
    const result = await runConform(
      {
        command: REFERENCE_COMMAND,
        level: 'exact',
        runs,
        seed: 20150312,
        timeoutMs: 60_000,
        fixturesDir: null,
        failuresDir: failures,
        maxSteps: 25,
        jobs,
      },
      (line) => {
        scenarios += Number(/: (\d+) checked/.exec(line)?.[1] ?? 0);
      },
      silentProgress,
    );
    const seconds = (performance.now() - t0) / 1000;
    if (result.exitCode !== 0)
      throw new Error(`bench conform: the reference failed (${result.exitCode})`);
    return { scenarios, seconds };
  } finally {
    await rm(failures, { recursive: true, force: true });
  }
};

export const benchConform = async (runs = 200): Promise<BenchRow[]> => {
  const one = await run(1, runs);
  const two = await run(2, runs);
  const rate = (r: { scenarios: number; seconds: number }) => r.scenarios / r.seconds;
  const row = (jobs: number, r: { scenarios: number; seconds: number }) => ({
    name: `conform --jobs ${jobs}`,
    size: `${runs} runs/phase`,
    event: 'scenario',
    events: r.scenarios,
    seconds: r.seconds,
  });
  return [
    { ...row(1, one), anchor: 'the anchor', notes: 'level exact, no fixtures, on relspec serve' },
    {
      ...row(2, two),
      anchor: `${(rate(two) / rate(one)).toFixed(2)}x --jobs 1 (target >= 1.6x)`,
      notes: 'same scenarios; two implementation processes and worker threads',
    },
  ];
};
