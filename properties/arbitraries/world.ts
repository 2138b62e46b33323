import * as fc from 'fast-check';
import { change, type RelationUnitsChange } from '../../src/model/change.ts';
import { type ChangeVersion, changeVersion } from '../../src/model/changeVersion.ts';
import { INT64_MAX } from '../../src/model/int64.ts';
import type { State } from '../../src/model/state.ts';
import { compareUnits, type UnitName } from '../../src/model/unitName.ts';
import { nthUnit, strangerUnit } from './units.ts';

/**
 * The remote side of one relation over time: the view a fresh watcher would
 * report at the start, then the deltas that happen, in order. The agent sees
 * the deltas one by one, or, after a restart, a snapshot of the view where
 * the world has got to. Built by `buildWorld` from intents, so that every
 * world obeys A1-A4 by construction (unless a break is asked for).
 */
export interface World {
  readonly initial: ReadonlyMap<UnitName, ChangeVersion>;
  readonly deltas: readonly RelationUnitsChange[];
  /** Departures sent with the first snapshot (only when A1 is broken on purpose). */
  readonly snapshotDeparts: readonly UnitName[];
  /** Index of the delta that breaks an assumption on purpose, or -1. */
  readonly breakAt: number;
}

/** The view after `n` deltas. */
export const viewAt = (w: World, n: number): Map<UnitName, ChangeVersion> => {
  const view = new Map(w.initial);
  for (const d of w.deltas.slice(0, n)) {
    for (const [u, v] of d.changed) view.set(u, v);
    for (const u of d.departed) view.delete(u);
  }
  return view;
};

/** One thing that happens to the remote units in a delta. */
export type Intent =
  | { readonly op: 'join'; readonly bump: number }
  | { readonly op: 'change'; readonly pick: number; readonly bump: number }
  | { readonly op: 'depart'; readonly pick: number };

/** A deliberate breach of one assumption, placed before delta `at`. */
export type Breach =
  | { readonly assumption: 'A1'; readonly pick: number }
  | { readonly assumption: 'A2'; readonly at: number }
  | { readonly assumption: 'A3'; readonly at: number; readonly sameVersion: boolean }
  | {
      readonly assumption: 'A4';
      readonly at: number;
      readonly pick: number;
      readonly lower: boolean;
    };

export interface WorldPlan {
  /** Versions start here: small, negative, or close to the int64 maximum. */
  readonly base: bigint;
  /** What happened to each stored member while the agent was down: kept (with a bump) or gone. */
  readonly stored: readonly { readonly keep: boolean; readonly bump: number }[];
  /** Units that joined while the agent was down. */
  readonly newcomers: readonly number[];
  readonly deltas: readonly (readonly Intent[])[];
  readonly breach?: Breach;
}

const version = (n: bigint): ChangeVersion => changeVersion(n);

/**
 * Interpret a plan against the stored state: stored members keep their
 * version or grow (A4), gone ones never return (A3), departures name present
 * units only (A2), the snapshot departs nobody (A1). Units get fresh names
 * past every stored name.
 */
export const buildWorld = (stored: State, plan: WorldPlan): World => {
  const used = new Set<UnitName>(stored.members?.keys() ?? []);
  let fresh = 0;
  const freshUnit = (): UnitName => {
    for (;;) {
      const u = nthUnit(fresh++);
      if (!used.has(u)) {
        used.add(u);
        return u;
      }
    }
  };
  const view = new Map<UnitName, ChangeVersion>();
  const storedUnits = [...(stored.members ?? new Map<UnitName, ChangeVersion>())].sort(([a], [b]) =>
    compareUnits(a, b),
  );
  storedUnits.forEach(([u, v], i) => {
    const fate = plan.stored[i % Math.max(1, plan.stored.length)] ?? { keep: true, bump: 0 };
    if (fate.keep) view.set(u, version(v + BigInt(fate.bump)));
  });
  for (const bump of plan.newcomers) view.set(freshUnit(), version(plan.base + BigInt(bump)));
  const initial = new Map(view);
  const gone: UnitName[] = [];

  const deltas: RelationUnitsChange[] = [];
  let breakAt = -1;
  const breach = plan.breach;
  const emit = (d: RelationUnitsChange, breaking = false) => {
    if (breaking) breakAt = deltas.length;
    deltas.push(d);
  };
  const placeBreach = (at: number, last: boolean) => {
    if (breach === undefined || breach.assumption === 'A1') return;
    if (breach.at !== at && !(last && breach.at > at)) return;
    if (breach.assumption === 'A2') {
      emit(change([], [strangerUnit(at)]), true);
    } else if (breach.assumption === 'A3') {
      // A unit joins and departs, then comes back under the same name.
      const u = freshUnit();
      const v = version(plan.base + 1n);
      emit(change([[u, v]]));
      emit(change([], [u]));
      emit(change([[u, breach.sameVersion ? v : version(v + 1n)]]), true);
      view.set(u, breach.sameVersion ? v : version(v + 1n));
    } else {
      let present = [...view.keys()];
      if (present.length === 0) {
        const u = freshUnit();
        view.set(u, version(plan.base + 1n));
        emit(change([[u, version(plan.base + 1n)]]));
        present = [u];
      }
      const u = present[breach.pick % present.length] as UnitName;
      const v = view.get(u) as ChangeVersion;
      // First make a change pending, then report its version again (or a lower one).
      const next = version(v + 1n);
      emit(change([[u, next]]));
      emit(change([[u, breach.lower ? v : next]]), true);
      view.set(u, breach.lower ? v : next);
    }
  };

  plan.deltas.forEach((intents, at) => {
    placeBreach(at, false);
    const changed = new Map<UnitName, ChangeVersion>();
    const departed: UnitName[] = [];
    for (const intent of intents) {
      if (intent.op === 'join') {
        changed.set(freshUnit(), version(plan.base + BigInt(intent.bump)));
        continue;
      }
      const present = [...view.keys()].filter((u) => !changed.has(u) && !departed.includes(u));
      const u = present[intent.pick % Math.max(1, present.length)];
      if (u === undefined) continue;
      if (intent.op === 'change') {
        changed.set(u, version((view.get(u) as ChangeVersion) + BigInt(intent.bump)));
      } else departed.push(u);
    }
    if (changed.size === 0 && departed.length === 0) return;
    for (const [u, v] of changed) view.set(u, v);
    for (const u of departed) {
      view.delete(u);
      gone.push(u);
    }
    emit(change(changed, departed));
  });
  placeBreach(plan.deltas.length, true);

  let snapshotDeparts: UnitName[] = [];
  if (breach?.assumption === 'A1') {
    // A departure in the first snapshot, of a unit the snapshot names, so
    // that only A1 is broken.
    if (initial.size === 0) initial.set(freshUnit(), version(plan.base));
    const present = [...initial.keys()];
    snapshotDeparts = [present[breach.pick % present.length] as UnitName];
  }
  return { initial, deltas, snapshotDeparts, breakAt };
};

const SMALL_BASES = [0n, 1n, 100n, -7n];
const HUGE_BASE = INT64_MAX - 1_000_000n;

export interface WorldSize {
  /** Upper bound on the units in one delta and joining at the start. */
  readonly units: number;
  readonly deltas: number;
  /** Fewest units present when the agent starts (newcomers while it was down). */
  readonly minUnits?: number;
}

export const FEW: WorldSize = { units: 4, deltas: 12 };
export const MANY: WorldSize = { units: 30, deltas: 30, minUnits: 20 };

const intentArb = (size: WorldSize): fc.Arbitrary<Intent> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('join' as const), bump: fc.nat(3) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('change' as const),
        pick: fc.nat(size.units * 2),
        bump: fc.integer({ min: 1, max: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('depart' as const), pick: fc.nat(size.units * 2) }),
    },
  );

/** A plan obeying A1-A4, before it meets a stored state. */
export const worldPlanArb = (size: WorldSize = FEW): fc.Arbitrary<WorldPlan> =>
  fc.record({
    base: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...SMALL_BASES) },
      { weight: 1, arbitrary: fc.constant(HUGE_BASE) },
    ),
    stored: fc.array(fc.record({ keep: fc.boolean(), bump: fc.nat(2) }), { maxLength: 4 }),
    newcomers: fc.array(fc.nat(5), { minLength: size.minUnits ?? 0, maxLength: size.units }),
    deltas: fc.array(fc.array(intentArb(size), { minLength: 1, maxLength: size.units }), {
      maxLength: size.deltas,
    }),
  });

/** A breach of exactly one assumption, placed somewhere in a plan. */
export const breachArb = (assumption: 'A1' | 'A2' | 'A3' | 'A4'): fc.Arbitrary<Breach> => {
  switch (assumption) {
    case 'A1':
      return fc.record({ assumption: fc.constant('A1' as const), pick: fc.nat(8) });
    case 'A2':
      return fc.record({ assumption: fc.constant('A2' as const), at: fc.nat(6) });
    case 'A3':
      return fc.record({
        assumption: fc.constant('A3' as const),
        at: fc.nat(6),
        sameVersion: fc.constant(false),
      });
    case 'A4':
      return fc.record({
        assumption: fc.constant('A4' as const),
        at: fc.nat(6),
        pick: fc.nat(8),
        lower: fc.boolean(),
      });
  }
};
