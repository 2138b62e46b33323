import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../src/model/change.ts';
import { relationId } from '../src/model/relationId.ts';
import { type Engine, pureEngine } from '../src/schedule/engine.ts';
import { fastEngine } from '../src/schedule/fast/engine.ts';
import type { BenchRow } from './row.ts';
import { DRAIN_EVERY, HookChecksum, LiveStream } from './stream.ts';

// One engine replaying the live stream of bench/README.md: the snapshot of
// `units` units and its drain (set-up, not timed), then `changes` changes
// with a drain after every 16th (timed). The stream is generated in batches
// outside the timed region; the checksum of the hooks is computed inside it,
// as any replay must.

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

const drain = <S>(engine: Engine<S>, source: S, sum: HookChecksum): S => {
  let s = source;
  while (!engine.empty(s)) {
    const head = engine.next(s);
    if (O.isNone(head)) throw new Error('non-empty source without a head');
    sum.add(head.value);
    s = orThrow(engine.pop(s));
  }
  return s;
};

/** The replay: ns per change, and the checksum that proves which stream it was. */
export interface LiveReplay {
  readonly seconds: number;
  readonly bestSliceSeconds: number;
  readonly cpuSeconds: number;
  readonly checksum: string;
  readonly hooks: number;
}

export const replayLive = <S>(engine: Engine<S>, units: number, changes: number): LiveReplay => {
  const stream = new LiveStream(units);
  const sum = new HookChecksum();
  let source = orThrow(
    engine.live({ relationId: relationId(1), members: null, changedPending: '' }),
  );
  source = drain(engine, orThrow(engine.update(source, stream.snapshot())), sum);
  let elapsed = 0n;
  let cpuMicros = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let done = 0; done < changes; done += BATCH) {
    const batch: RelationUnitsChange[] = [];
    for (let i = 0; i < Math.min(BATCH, changes - done); i++) batch.push(stream.change());
    for (let from = 0; from < batch.length; from += SLICE) {
      const to = Math.min(from + SLICE, batch.length);
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = from; i < to; i++) {
        source = orThrow(engine.update(source, batch[i] as RelationUnitsChange));
        if ((done + i + 1) % DRAIN_EVERY === 0) source = drain(engine, source, sum);
      }
      const took = process.hrtime.bigint() - start;
      const used = process.cpuUsage(cpu);
      cpuMicros += used.user + used.system;
      elapsed += took;
      if (to - from === SLICE) best = Math.min(best, Number(took) / 1e9 / SLICE);
    }
  }
  source = drain(engine, source, sum);
  return {
    seconds: Number(elapsed) / 1e9,
    bestSliceSeconds: best,
    cpuSeconds: cpuMicros / 1e6,
    checksum: sum.value,
    hooks: sum.hooks,
  };
};

const row = (engine: string, units: number, changes: number, r: LiveReplay): BenchRow => ({
  name: `live ${engine}`,
  size: `${power(units)} units`,
  event: 'change',
  events: changes,
  seconds: r.seconds,
  best: Number.isFinite(r.bestSliceSeconds) ? 1 / r.bestSliceSeconds : undefined,
  cpuSeconds: r.cpuSeconds,
  notes: `${((r.seconds * 1e9) / changes).toFixed(0)} ns/change wall, ${((r.cpuSeconds * 1e9) / changes).toFixed(0)} CPU, ${(r.bestSliceSeconds * 1e9).toFixed(0)} best slice; ${r.hooks} hooks, FNV-1a ${r.checksum}`,
});

/**
 * The fast engine, then the pure one, on the same stream. The fast row is
 * set beside Go's figure for this stream (issue 18's measurement, not this
 * run); the pure row beside the fast one (this run; target at most 5x).
 * Ratios use CPU time, which a busy machine distorts less than wall time.
 */
export const benchLivePair = (
  units: number,
  goNsPerChange: number,
  changes = 1_000_000,
): readonly BenchRow[] => {
  const fast = replayLive(fastEngine, units, changes);
  const pure = replayLive(pureEngine, units, changes);
  if (fast.checksum !== pure.checksum) {
    throw new Error(`the engines replayed different hooks: ${fast.checksum} vs ${pure.checksum}`);
  }
  const fastNs = (fast.cpuSeconds * 1e9) / changes;
  const pureNs = (pure.cpuSeconds * 1e9) / changes;
  return [
    {
      ...row('fast', units, changes, fast),
      anchor: `${(fastNs / goNsPerChange).toFixed(2)}x Go's ${goNsPerChange} ns (target <= 2x; Go not run here)`,
    },
    {
      ...row('pure', units, changes, pure),
      anchor: `${(pureNs / fastNs).toFixed(2)}x fast (target <= 5x)`,
    },
  ];
};
