import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../src/model/change.ts';
import type { HookInfo } from '../src/model/hook.ts';
import { relationId } from '../src/model/relationId.ts';
import type { Engine } from '../src/schedule/engine.ts';
import { runNode } from './child.ts';
import type { BenchRow } from './row.ts';
import { DRAIN_EVERY, HookChecksum, LiveStream } from './stream.ts';

// One engine replaying the live stream of bench/README.md: the snapshot of
// `units` units and its drain (set-up, not timed), then `changes` changes
// with a drain after every 16th (timed). The stream is generated in batches
// outside the timed region. The consumer keeps the hooks it takes; they are
// hashed after each timed slice, so the figure is the source's work and the
// taking of each hook, not the proof of which stream it was.

// Small batches: a batch stays alive while it is replayed, and every
// scavenge copies the live young objects. With batches of 10^4 (about 3 MB)
// the scavenges of one replay took 361 ms, with 10^3 191 ms
// (node --trace-gc): a cost of the harness, not of the engine.
const BATCH = 1_000;
const SLICE = 1_000;

const orThrow = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(`bench stream broke the source: ${e.left.message}`);
  return e.right;
};

const power = (n: number): string => {
  const exp = Math.log10(n);
  return Number.isInteger(exp) ? `10^${exp}` : String(n);
};

/** What a replay needs of a source: an engine's operations, or the floor's (floor.ts). */
export type Replayable<S> = Pick<Engine<S>, 'live' | 'update' | 'empty' | 'next' | 'pop'>;

const drain = <S>(engine: Replayable<S>, source: S, taken: HookInfo[]): S => {
  let s = source;
  while (!engine.empty(s)) {
    const head = engine.next(s);
    if (O.isNone(head)) throw new Error('non-empty source without a head');
    taken.push(head.value);
    s = orThrow(engine.pop(s));
  }
  return s;
};

const hashAll = (sum: HookChecksum, taken: HookInfo[]): void => {
  for (const hook of taken) sum.add(hook);
  taken.length = 0;
};

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
};

/** The replay: ns per change, and the checksum that proves which stream it was. */
export interface LiveReplay {
  readonly seconds: number;
  readonly bestSliceSeconds: number;
  /** The median slice: what a change costs when nothing unusual happens (no collection, no rehash). */
  readonly medianSliceSeconds: number;
  readonly cpuSeconds: number;
  readonly checksum: string;
  readonly hooks: number;
}

export const replayLive = <S>(
  engine: Replayable<S>,
  units: number,
  changes: number,
): LiveReplay => {
  const stream = new LiveStream(units);
  const sum = new HookChecksum();
  const taken: HookInfo[] = [];
  let source = orThrow(
    engine.live({ relationId: relationId(1), members: null, changedPending: '' }),
  );
  source = drain(engine, orThrow(engine.update(source, stream.snapshot())), taken);
  hashAll(sum, taken);
  let elapsed = 0n;
  let cpuMicros = 0;
  const slices: number[] = [];
  for (let done = 0; done < changes; done += BATCH) {
    const batch: RelationUnitsChange[] = [];
    for (let i = 0; i < Math.min(BATCH, changes - done); i++) batch.push(stream.change());
    for (let from = 0; from < batch.length; from += SLICE) {
      const to = Math.min(from + SLICE, batch.length);
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = from; i < to; i++) {
        source = orThrow(engine.update(source, batch[i] as RelationUnitsChange));
        if ((done + i + 1) % DRAIN_EVERY === 0) source = drain(engine, source, taken);
      }
      const took = process.hrtime.bigint() - start;
      const used = process.cpuUsage(cpu);
      cpuMicros += used.user + used.system;
      elapsed += took;
      if (to - from === SLICE) slices.push(Number(took) / 1e9 / SLICE);
      hashAll(sum, taken);
    }
  }
  source = drain(engine, source, taken);
  hashAll(sum, taken);
  return {
    seconds: Number(elapsed) / 1e9,
    bestSliceSeconds: slices.length === 0 ? Number.NaN : Math.min(...slices),
    medianSliceSeconds: median(slices),
    cpuSeconds: cpuMicros / 1e6,
    checksum: sum.value,
    hooks: sum.hooks,
  };
};

const perChange = (seconds: number, changes: number): string =>
  ((seconds * 1e9) / changes).toFixed(0);

/** The median run (by CPU time) of an engine's runs, with all runs' CPU figures for the notes. */
const row = (
  engine: string,
  units: number,
  changes: number,
  runs: readonly LiveReplay[],
): { readonly row: BenchRow; readonly cpuNs: number } => {
  const byCpu = [...runs].sort((a, b) => a.cpuSeconds - b.cpuSeconds);
  const r = byCpu[byCpu.length >> 1] as LiveReplay;
  const all = runs.map((x) => perChange(x.cpuSeconds, changes)).join(', ');
  return {
    cpuNs: (r.cpuSeconds * 1e9) / changes,
    row: {
      name: `live ${engine}`,
      size: `${power(units)} units`,
      event: 'change',
      events: changes,
      seconds: r.seconds,
      best: Number.isFinite(r.bestSliceSeconds) ? 1 / r.bestSliceSeconds : undefined,
      cpuSeconds: r.cpuSeconds,
      notes: `median of ${runs.length} runs (CPU ns/change: ${all}): ${perChange(r.seconds, changes)} ns/change wall, ${perChange(r.cpuSeconds, changes)} CPU, median slice ${perChange(r.medianSliceSeconds, 1)}, best ${perChange(r.bestSliceSeconds, 1)}; ${r.hooks} hooks, FNV-1a ${r.checksum}`,
    },
  };
};

const CHILD = fileURLToPath(new URL('./liveChild.ts', import.meta.url));

/** One replay in a fresh process, run with this process's loader (tsx). */
const replayInChild = async (
  engine: 'fast' | 'pure' | 'floor',
  units: number,
  changes: number,
): Promise<LiveReplay> => {
  const { status, stdout } = await runNode([
    ...process.execArgv,
    CHILD,
    engine,
    String(units),
    String(changes),
  ]);
  if (status !== 0) throw new Error(`the ${engine} replay exited with ${status}`);
  return JSON.parse(stdout) as LiveReplay;
};

/**
 * The fast engine, the pure one and the floor (floor.ts) on the same
 * stream, `rounds` times each, alternating, every run in a process of its
 * own; each row is the median
 * run by CPU time (as issue 18 measured: interleaved runs, medians). The
 * fast row is set beside Go's figure for this stream (issue 18's
 * measurement, not this run); the pure row beside the fast one (this run;
 * target at most 5x). Ratios use CPU time, which a busy machine distorts
 * less than wall time.
 */
export const benchLivePair = async (
  units: number,
  goNsPerChange: number,
  changes = 1_000_000,
  rounds = 3,
): Promise<readonly BenchRow[]> => {
  const fast: LiveReplay[] = [];
  const pure: LiveReplay[] = [];
  const floor: LiveReplay[] = [];
  for (let i = 0; i < rounds; i++) {
    fast.push(await replayInChild('fast', units, changes));
    pure.push(await replayInChild('pure', units, changes));
    floor.push(await replayInChild('floor', units, changes));
  }
  const sums = new Set([...fast, ...pure].map((r) => r.checksum));
  if (sums.size !== 1) {
    throw new Error(`the replays delivered different hooks: ${[...sums].join(', ')}`);
  }
  const f = row('fast', units, changes, fast);
  const p = row('pure', units, changes, pure);
  const least = row('floor', units, changes, floor);
  const budget = 2 * goNsPerChange;
  return [
    {
      ...f.row,
      anchor: `${(f.cpuNs / goNsPerChange).toFixed(2)}x Go's ${goNsPerChange} ns (target <= 2x; Go not run here)`,
    },
    { ...p.row, anchor: `${(p.cpuNs / f.cpuNs).toFixed(2)}x fast (target <= 5x)` },
    {
      ...least.row,
      name: 'live floor (Map lookups only)',
      anchor: `${((100 * least.cpuNs) / budget).toFixed(0)}% of 2x Go (${budget} ns)`,
    },
  ];
};
