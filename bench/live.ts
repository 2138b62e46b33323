import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../src/model/change.ts';
import { type ChangeVersion, changeVersion } from '../src/model/changeVersion.ts';
import { relationId } from '../src/model/relationId.ts';
import type { State } from '../src/model/state.ts';
import { type UnitName, unitName } from '../src/model/unitName.ts';
import {
  type LiveSource,
  liveEmpty,
  liveNext,
  livePop,
  liveSource,
  liveUpdate,
} from '../src/schedule/live.ts';
import { type Prng, prng } from './prng.ts';
import type { BenchRow } from './row.ts';

// The live source under a long watcher stream: a relation of about `units`
// remote units that join, change settings and depart, while a consumer pops
// one hook per change on average. The stream obeys the watcher's contract
// (snapshot first, departures of present units only, names never reused,
// versions growing), so every update succeeds.

export interface LiveBenchOptions {
  /** Changes after the snapshot. */
  readonly changes: number;
  /** The number of remote units present at any time (about). */
  readonly units: number;
  readonly seed?: number;
}

const APPS = ['wordpress', 'mysql', 'foo-bar', 'a', 'redis-cache2'] as const;

/** The remote side: who is present, with which version; names are never reused. */
class World {
  private readonly present: UnitName[] = [];
  private readonly where = new Map<UnitName, number>();
  private readonly versions = new Map<UnitName, bigint>();
  private born = 0;

  constructor(private readonly rng: Prng) {}

  get size(): number {
    return this.present.length;
  }

  entries(): [UnitName, ChangeVersion][] {
    return this.present.map((u) => [u, changeVersion(this.versions.get(u) ?? 0n)]);
  }

  join(): [UnitName, ChangeVersion] {
    const k = this.born++;
    const unit = unitName(`${APPS[k % APPS.length]}/${k}`);
    const version = BigInt(1 + this.rng.below(5));
    this.where.set(unit, this.present.length);
    this.present.push(unit);
    this.versions.set(unit, version);
    return [unit, changeVersion(version)];
  }

  pick(): UnitName {
    return this.present[this.rng.below(this.present.length)] as UnitName;
  }

  bump(unit: UnitName): [UnitName, ChangeVersion] {
    const version = (this.versions.get(unit) ?? 0n) + BigInt(1 + this.rng.below(3));
    this.versions.set(unit, version);
    return [unit, changeVersion(version)];
  }

  depart(unit: UnitName): UnitName {
    const i = this.where.get(unit) as number;
    const last = this.present.pop() as UnitName;
    if (last !== unit) {
      this.present[i] = last;
      this.where.set(last, i);
    }
    this.where.delete(unit);
    this.versions.delete(unit);
    return unit;
  }
}

/** One delta: mostly single-unit settings changes, a quarter joins, a quarter departures. */
const delta = (world: World, target: number, rng: Prng): RelationUnitsChange => {
  const changed = new Map<UnitName, ChangeVersion>();
  const departed: UnitName[] = [];
  const r = rng.next();
  const low = world.size < target * 0.9;
  const high = world.size > target * 1.1;
  if (world.size === 0 || low || (!high && r < 0.25)) {
    const [u, v] = world.join();
    changed.set(u, v);
  } else if (high || r < 0.5) {
    departed.push(world.depart(world.pick()));
  } else if (r < 0.95) {
    const [u, v] = world.bump(world.pick());
    changed.set(u, v);
  } else {
    // A burst: several units change at once, and one may leave.
    for (let i = 2 + rng.below(4); i > 0; i--) {
      const [u, v] = world.bump(world.pick());
      changed.set(u, v);
    }
    if (rng.next() < 0.5) {
      const leaving = world.pick();
      changed.delete(leaving);
      departed.push(world.depart(leaving));
    }
  }
  return { changed, departed };
};

const BATCH = 100_000;
const SLICE = 10_000;

const orThrow = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(`bench stream broke the source: ${e.left.message}`);
  return e.right;
};

const power = (n: number): string => {
  const exp = Math.log10(n);
  return Number.isInteger(exp) ? `10^${exp}` : String(n);
};

/**
 * Replays a restart (the stored state has `units` members, the snapshot
 * repeats them) and then `changes` deltas, timing only the source's
 * operations: the stream is generated in batches outside the timed region.
 */
export const benchLive = (options: LiveBenchOptions): BenchRow => {
  const { changes, units } = options;
  const rng = prng(options.seed ?? 20150312);
  const consumer = prng((options.seed ?? 20150312) ^ 0x5bd1e995);
  const world = new World(rng);
  for (let i = 0; i < units; i++) world.join();
  const initial: State = {
    relationId: relationId(1),
    members: new Map(world.entries()),
    changedPending: '',
  };
  let source: LiveSource = orThrow(liveSource(initial));
  source = orThrow(liveUpdate(source, { changed: new Map(world.entries()), departed: [] }));

  // Comparisons made by the two trees: a machine-independent measure of the
  // cost per change, which grows with log n when every operation is O(log n).
  let compares = 0;
  for (const tree of [source.units, source.queue]) {
    const t = tree as unknown as { _compare: (a: unknown, b: unknown) => number };
    const inner = t._compare;
    t._compare = (a, b) => {
      compares++;
      return inner(a, b);
    };
  }
  let cpuMicros = 0;
  let hooks = 0;
  let queueSum = 0;
  let queueMax = 0;
  let elapsed = 0n;
  // Each slice of SLICE changes is timed on its own: on a busy machine the
  // fastest slice shows what the code costs when it gets the CPU.
  let bestSlice = Number.POSITIVE_INFINITY;
  for (let done = 0; done < changes; done += BATCH) {
    const batch: RelationUnitsChange[] = [];
    for (let i = 0; i < Math.min(BATCH, changes - done); i++) batch.push(delta(world, units, rng));
    const pops = Uint8Array.from(batch, () => consumer.below(3));
    for (let from = 0; from < batch.length; from += SLICE) {
      const to = Math.min(from + SLICE, batch.length);
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = from; i < to; i++) {
        source = orThrow(liveUpdate(source, batch[i] as RelationUnitsChange));
        for (let p = pops[i] as number; p > 0 && !liveEmpty(source); p--) {
          if (O.isNone(liveNext(source))) throw new Error('non-empty source without a head');
          source = orThrow(livePop(source));
          hooks++;
        }
      }
      const took = process.hrtime.bigint() - start;
      const used = process.cpuUsage(cpu);
      cpuMicros += used.user + used.system;
      elapsed += took;
      if (to - from === SLICE) bestSlice = Math.min(bestSlice, Number(took) / 1e9);
    }
    // Sampled once per batch, outside the timed region.
    queueSum += source.queue.size;
    queueMax = Math.max(queueMax, source.queue.size);
  }
  const batches = Math.ceil(changes / BATCH);
  return {
    name: 'live source',
    size: `${power(units)} units`,
    event: 'change',
    events: changes,
    seconds: Number(elapsed) / 1e9,
    best: Number.isFinite(bestSlice) ? SLICE / bestSlice : undefined,
    cpuSeconds: cpuMicros / 1e6,
    notes: `${(compares / changes).toFixed(1)} compares/change; ${hooks} hooks popped; queue ~${Math.round(queueSum / batches)} (max ${queueMax}), ${source.units.size} units known at the end`,
  };
};
