import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { ClauseId } from '../../../spec/model/clauses.ts';
import type { RelationUnitsChange } from '../../../src/model/change.ts';
import { brokenHook, type HookInfo, unitHook } from '../../../src/model/hook.ts';
import type { UnitHookKind } from '../../../src/model/hookKind.ts';
import type { State } from '../../../src/model/state.ts';
import type { UnitName } from '../../../src/model/unitName.ts';
import { dyingHooks } from '../../../src/schedule/dying.ts';
import { listSource } from '../../../src/schedule/list.ts';
import { type LiveSource, liveEmpty, livePop } from '../../../src/schedule/live.ts';
import type { HookSource } from '../../../src/schedule/source.ts';
import { referenceOps, type SourceOps } from '../../sim/sourceOps.ts';

// Deliberately wrong hook sources: each changes one thing about the
// reference, over its pure API, and names the clause the monitor must report.
// If the monitor accepts one of them, it is not checking that clause.

export interface Mutant {
  readonly ops: SourceOps<HookSource>;
  /** The clause a trace of this variant breaks first. */
  readonly clause: ClauseId;
  readonly what: string;
}

const live = (s: HookSource): s is LiveSource => s._tag === 'LiveSource';

/** Forget a unit's queue slot (as the reference's dequeue does). */
const dequeue = (s: LiveSource, unit: UnitName): LiveSource => {
  const entry = s.units.get(unit);
  if (entry === undefined || entry.pending === null) return s;
  return {
    ...s,
    units: s.units.with(unit, { ...entry, pending: null, seq: -1 }),
    queue: s.queue.without(entry.seq),
  };
};

const headHook = (s: LiveSource, unit: UnitName): HookInfo => {
  const entry = s.units.get(unit);
  if (entry === undefined) throw new Error(`unknown unit ${unit}`);
  return unitHook(entry.pending as UnitHookKind, s.relationId, unit, entry.version);
};

/** Serve `unit` (queued) as if it were the head: the reference's pop, for another unit. */
const popUnit = (s: LiveSource, unit: UnitName): LiveSource => {
  const entry = s.units.get(unit);
  if (entry === undefined) return s;
  const next = dequeue(s, unit);
  if (entry.pending === 'relation-joined') {
    const joined = next.units.get(unit);
    return {
      ...next,
      units: next.units.with(unit, { ...(joined ?? entry), joined: true, pending: null }),
      changedPending: unit,
    };
  }
  if (entry.pending === 'relation-departed') return { ...next, units: next.units.without(unit) };
  return next;
};

/** A variant that chooses which queued unit to serve; the reference serves the queue head. */
const choosing = (name: string, choose: (s: LiveSource) => UnitName): SourceOps<HookSource> => ({
  ...referenceOps,
  name,
  next: (s) => {
    if (!live(s) || liveEmpty(s) || s.changedPending !== '') return referenceOps.next(s);
    return O.some(headHook(s, choose(s)));
  },
  pop: (s) => {
    if (!live(s) || liveEmpty(s) || s.changedPending !== '') return referenceOps.pop(s);
    return E.right(popUnit(s, choose(s)));
  },
});

const queued = (s: LiveSource): UnitName[] => s.queue.valuesArray();

/** 1. The relation-changed owed after relation-joined is forgotten. */
export const noChangedAfterJoined: Mutant = {
  clause: 'G2',
  what: 'no relation-changed after relation-joined',
  ops: {
    ...referenceOps,
    name: 'no-changed-after-joined',
    pop: (s) => {
      if (!live(s) || liveEmpty(s) || s.changedPending !== '') return referenceOps.pop(s);
      return E.map((n: LiveSource) => ({ ...n, changedPending: '' as const }))(livePop(s));
    },
  },
};

/** 2. Pending departures jump the queue. */
export const departedFirst: Mutant = {
  clause: 'G8b',
  what: 'relation-departed served before earlier pending work',
  ops: choosing('departed-first', (s) => {
    const all = queued(s);
    const departing = all.find((u) => s.units.get(u)?.pending === 'relation-departed');
    return departing ?? (all[0] as UnitName);
  }),
};

/** 3. A hook carries the version its unit had when its pending work began. */
export const staleVersion: Mutant = {
  clause: 'G5a',
  what: 'stale version (the one seen when the unit was queued)',
  ops: (() => {
    const firstSeen = new WeakMap<LiveSource, Map<UnitName, bigint>>();
    const seen = (s: LiveSource) => firstSeen.get(s) ?? new Map<UnitName, bigint>();
    const record = (before: LiveSource, after: LiveSource): LiveSource => {
      const m = new Map(seen(before));
      for (const u of queued(after)) if (!m.has(u)) m.set(u, after.units.get(u)?.version ?? 0n);
      for (const u of [...m.keys()]) if (after.units.get(u)?.pending == null) m.delete(u);
      firstSeen.set(after, m);
      return after;
    };
    return {
      ...referenceOps,
      name: 'stale-version',
      update: (s, c: RelationUnitsChange) =>
        live(s)
          ? E.map((n: HookSource) => record(s, n as LiveSource))(referenceOps.update(s, c))
          : referenceOps.update(s, c),
      next: (s) => {
        const h = referenceOps.next(s);
        if (
          !live(s) ||
          O.isNone(h) ||
          s.changedPending !== '' ||
          h.value.kind === 'relation-broken'
        )
          return h;
        const old = seen(s).get(h.value.remoteUnit);
        return old === undefined ? h : O.some({ ...h.value, changeVersion: old } as HookInfo);
      },
      pop: (s) =>
        live(s)
          ? E.map((n: HookSource) => record(s, n as LiveSource))(referenceOps.pop(s))
          : referenceOps.pop(s),
    };
  })(),
};

/** 4. The queue is served in unit name order instead of the order work began. */
export const nameOrder: Mutant = {
  clause: 'G8b',
  what: 'lost queue order (name order)',
  ops: choosing('name-order', (s) => {
    const all = queued(s).sort();
    return all[0] as UnitName;
  }),
};

/** 5. A dying relation breaks before its members depart. */
export const brokenBeforeDepartures: Mutant = {
  clause: 'G4b',
  what: 'relation-broken before the departures',
  ops: {
    ...referenceOps,
    name: 'broken-before-departures',
    dying: (initial: State) => {
      const hooks = dyingHooks(initial).filter((h) => h.kind !== 'relation-broken');
      const owed = hooks.filter((h) => h.kind === 'relation-changed');
      const departures = hooks.filter((h) => h.kind === 'relation-departed');
      return listSource([...owed, brokenHook(initial.relationId), ...departures]);
    },
  },
};

/** 6. A new version of a joined unit is recorded but its relation-changed is dropped. */
export const droppedChanged: Mutant = {
  clause: 'G7a',
  what: 'a dropped relation-changed',
  ops: {
    ...referenceOps,
    name: 'dropped-changed',
    update: (s, c) => {
      if (!live(s)) return referenceOps.update(s, c);
      return E.map((n: HookSource) => {
        let out = n as LiveSource;
        for (const u of c.changed.keys()) {
          if (out.units.get(u)?.pending === 'relation-changed') out = dequeue(out, u);
        }
        return out as HookSource;
      })(referenceOps.update(s, c));
    },
  },
};

/** 7. A unit that departs before its join ran still joins. */
export const joinAfterDeparture: Mutant = {
  clause: 'G6',
  what: 'relation-joined for a unit that departed before its join',
  ops: {
    ...referenceOps,
    name: 'join-after-departure',
    update: (s, c) => {
      if (!live(s) || !s.started) return referenceOps.update(s, c);
      const departed = c.departed.filter(
        (u) => s.units.get(u)?.pending !== 'relation-joined' || c.changed.has(u),
      );
      return referenceOps.update(s, { changed: c.changed, departed });
    },
  },
};

/** 8. The queued relation-changed is kept after the owed one ran with the same version. */
export const repeatedChanged: Mutant = {
  clause: 'G5b',
  what: 'relation-changed repeated with the version just delivered',
  ops: {
    ...referenceOps,
    name: 'repeated-changed',
    pop: (s) => {
      if (!live(s) || liveEmpty(s) || s.changedPending === '') return referenceOps.pop(s);
      return E.right({ ...s, changedPending: '' });
    },
  },
};

export const MUTANTS: readonly Mutant[] = [
  noChangedAfterJoined,
  departedFirst,
  staleVersion,
  nameOrder,
  brokenBeforeDepartures,
  droppedChanged,
  joinAfterDeparture,
  repeatedChanged,
];
