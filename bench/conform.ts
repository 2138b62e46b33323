import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../src/package/root.ts';
import { runNode } from './child.ts';
import type { BenchRow } from './row.ts';

// Conformance throughput: the compiled `relspec conform --level exact
// --no-fixtures` (dist/cli, as installed and run), every scenario phase,
// with one job and with two, against two implementations: relspec's own
// `serve` (fast engine) and the Python example (examples/python), which
// spends its time as a typical foreign implementation does. A scenario is
// one event; start-up (implementation processes, worker threads) counts,
// since a user waits for it too. Runs of one and two jobs alternate, and
// the faster of each is kept, so that both meet the same machine.
//
// On c cores, two jobs can go at most c x wall / CPU times faster than one
// job, where wall and CPU are those of the one-job run (conform and the
// implementation together): that bound is printed beside the figure.

const SEED = 20150312;

interface Timed {
  readonly scenarios: number;
  readonly seconds: number;
  /** CPU seconds of conform and everything it started (Linux; NaN elsewhere). */
  readonly cpuSeconds: number;
}

/** CPU time of the waited-for children of this process, from /proc (Linux). */
const childrenCpuSeconds = (): number => {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat(5) (cutime, cstime), counted from after the name.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return ticks / 100;
  } catch {
    return Number.NaN;
  }
};

const conform = async (impl: string | undefined, jobs: number, runs: number): Promise<Timed> => {
  const entry = packagePath('dist', 'cli', 'relspec.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  const failures = await mkdtemp(join(tmpdir(), 'relspec-bench-conform-'));
  const args = [
    entry,
    'conform',
    '--level',
    'exact',
    '--no-fixtures',
    '--runs',
    String(runs),
    '--seed',
    String(SEED),
    '--jobs',
    String(jobs),
    '--failures',
    failures,
    ...(impl === undefined ? [] : ['--impl', impl]),
  ];
  try {
    const cpu = childrenCpuSeconds();
    const t0 = performance.now();
    const { status, stdout } = await runNode(args);
    const seconds = (performance.now() - t0) / 1000;
    if (status !== 0) {
      throw new Error(`bench conform (${impl ?? 'relspec serve'}) exited ${status}:\n${stdout}`);
    }
    let scenarios = 0;
    for (const m of stdout.matchAll(/: (\d+) checked/g)) scenarios += Number(m[1]);
    return { scenarios, seconds, cpuSeconds: childrenCpuSeconds() - cpu };
  } finally {
    await rm(failures, { recursive: true, force: true });
  }
};

const best = (a: Timed, b: Timed): Timed => (b.seconds < a.seconds ? b : a);

const pair = async (
  label: string,
  impl: string | undefined,
  runs: number,
  rounds: number,
): Promise<BenchRow[]> => {
  let one: Timed | undefined;
  let two: Timed | undefined;
  for (let i = 0; i < rounds; i++) {
    const a = await conform(impl, 1, runs);
    one = one === undefined ? a : best(one, a);
    const b = await conform(impl, 2, runs);
    two = two === undefined ? b : best(two, b);
  }
  if (one === undefined || two === undefined) throw new Error('bench conform: no rounds');
  if (one.scenarios !== two.scenarios) {
    throw new Error(
      `bench conform: ${one.scenarios} scenarios with one job, ${two.scenarios} with two`,
    );
  }
  const rate = (r: Timed) => r.scenarios / r.seconds;
  const cores = availableParallelism();
  const bound = (Math.min(cores, 2) * one.seconds) / one.cpuSeconds;
  const row = (jobs: number, r: Timed): BenchRow => ({
    name: `conform --jobs ${jobs}, ${label}`,
    size: `${runs} runs/phase`,
    event: 'scenario',
    events: r.scenarios,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    notes: '',
  });
  return [
    {
      ...row(1, one),
      anchor: 'the anchor',
      notes: `level exact, no fixtures, dist/cli; ${(one.cpuSeconds / one.seconds).toFixed(2)} cores busy; faster of ${rounds}`,
    },
    {
      ...row(2, two),
      anchor: `${(rate(two) / rate(one)).toFixed(2)}x --jobs 1 (target >= 1.6x)`,
      notes: `at most ${bound.toFixed(2)}x here (${Math.min(cores, 2)} cores x wall / CPU of --jobs 1); faster of ${rounds}`,
    },
  ];
};

export const benchConform = async (runs = 200, rounds = 2): Promise<BenchRow[]> => [
  ...(await pair('relspec serve', undefined, runs, rounds)),
  ...(await pair(
    'examples/python',
    `python3 ${packagePath('examples', 'python', 'agent.py')}`,
    runs,
    rounds,
  )),
];
