import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../model/change.ts';
import type { ChangeVersion } from '../model/changeVersion.ts';
import { type HookInfo, unitHook } from '../model/hook.ts';
import type { UnitHookKind } from '../model/hookKind.ts';
import type { RelationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import { compareUnits, type UnitName } from '../model/unitName.ts';
import { type BTree, BTreeClass } from './btree.ts';
import {
  emptySource,
  firstChangeHasDepartures,
  pendingUnitNotMember,
  type SourceError,
  unknownDeparture,
} from './errors.ts';

/** What the live source knows of one remote unit. */
export interface UnitEntry {
  /** The latest version seen from the watcher (or the stored one). */
  readonly version: ChangeVersion;
  /** Whether its relation-joined has been delivered (or it came from the state). */
  readonly joined: boolean;
  /** The hook it is waiting for, if it is queued. */
  readonly pending: UnitHookKind | null;
  /** Its key in the queue while `pending` is set: the order it was enqueued in. */
  readonly seq: number;
}

/**
 * The live source as an immutable value. Both maps are persistent B-trees:
 * every operation copies only the O(log n) nodes on its path, so old values
 * stay valid and no operation costs more than O(log n) per unit touched.
 */
export interface LiveSource {
  readonly _tag: 'LiveSource';
  readonly relationId: RelationId;
  /** Whether the first change (the snapshot) has been applied. */
  readonly started: boolean;
  readonly units: BTree<UnitName, UnitEntry>;
  /** Queued units by enqueue sequence number: the minimum key is the head. */
  readonly queue: BTree<number, UnitName>;
  readonly nextSeq: number;
  /** A unit whose relation-changed must be the next hook, or "". */
  readonly changedPending: UnitName | '';
}

const NOT_QUEUED = -1;

/** A live source for `initial`, before any watcher change. */
export const liveSource = (initial: State): E.Either<SourceError, LiveSource> => {
  const members = initial.members ?? new Map<UnitName, ChangeVersion>();
  if (initial.changedPending !== '' && !members.has(initial.changedPending)) {
    return E.left(pendingUnitNotMember(initial.changedPending));
  }
  const entries = [...members].map(([unit, version]): [UnitName, UnitEntry] => [
    unit,
    { version, joined: true, pending: null, seq: NOT_QUEUED },
  ]);
  return E.right({
    _tag: 'LiveSource',
    relationId: initial.relationId,
    started: false,
    units: new BTreeClass<UnitName, UnitEntry>(entries, compareUnits),
    queue: new BTreeClass<number, UnitName>(),
    nextSeq: 0,
    changedPending: initial.changedPending,
  });
};

const entryOf = (s: LiveSource, unit: UnitName): UnitEntry => {
  const entry = s.units.get(unit);
  if (entry === undefined) throw new Error(`live source invariant: ${unit} is not known`);
  return entry;
};

const withEntry = (s: LiveSource, unit: UnitName, entry: UnitEntry): LiveSource => ({
  ...s,
  units: s.units.with(unit, entry, true),
});

/** Give the unit a pending kind: at the tail if it was not queued, else in place. */
const enqueue = (s: LiveSource, unit: UnitName, kind: UnitHookKind): LiveSource => {
  const entry = entryOf(s, unit);
  if (entry.pending !== null) return withEntry(s, unit, { ...entry, pending: kind });
  const seq = s.nextSeq;
  return {
    ...withEntry(s, unit, { ...entry, pending: kind, seq }),
    queue: s.queue.with(seq, unit, true),
    nextSeq: seq + 1,
  };
};

/** Take the unit out of the queue, if it is in it; its place is lost. */
const dequeue = (s: LiveSource, unit: UnitName): LiveSource => {
  const entry = entryOf(s, unit);
  if (entry.pending === null) return s;
  return {
    ...withEntry(s, unit, { ...entry, pending: null, seq: NOT_QUEUED }),
    queue: s.queue.without(entry.seq),
  };
};

const applyChanged = (s: LiveSource, unit: UnitName, version: ChangeVersion): LiveSource => {
  const entry = s.units.get(unit);
  let next: LiveSource;
  if (entry === undefined) {
    next = withEntry(s, unit, { version, joined: false, pending: null, seq: NOT_QUEUED });
    next = enqueue(next, unit, 'relation-joined');
  } else if (entry.pending === 'relation-joined') {
    next = s;
  } else if (version !== entry.version) {
    next = enqueue(s, unit, 'relation-changed');
  } else {
    // The equal-version rule: the unit is up to date, even if a changed
    // hook was still owed (the known quirk when versions repeat).
    next = dequeue(s, unit);
  }
  return withEntry(next, unit, { ...entryOf(next, unit), version });
};

const applyDeparted = (s: LiveSource, unit: UnitName): E.Either<SourceError, LiveSource> => {
  const entry = s.units.get(unit);
  if (entry === undefined) return E.left(unknownDeparture(unit));
  // A unit that never joined locally leaves without any hook; it stays known.
  if (entry.pending === 'relation-joined') return E.right(dequeue(s, unit));
  return E.right(enqueue(s, unit, 'relation-departed'));
};

const applyChange = (
  s: LiveSource,
  change: RelationUnitsChange,
): E.Either<SourceError, LiveSource> => {
  let next = s;
  for (const unit of [...change.changed.keys()].sort(compareUnits)) {
    next = applyChanged(next, unit, change.changed.get(unit) as ChangeVersion);
  }
  for (const unit of change.departed) {
    const departed = applyDeparted(next, unit);
    if (E.isLeft(departed)) return departed;
    next = departed.right;
  }
  return E.right(next);
};

/**
 * Apply one watcher change. The first change is the watcher's snapshot: it
 * may not depart anyone, and every known unit it leaves out departs first.
 * On error the source is unchanged (the caller keeps the old value).
 */
export const liveUpdate = (
  s: LiveSource,
  change: RelationUnitsChange,
): E.Either<SourceError, LiveSource> => {
  if (s.started) return applyChange(s, change);
  if (change.departed.length > 0) return E.left(firstChangeHasDepartures(change.departed));
  // Go ranges over a map here, in no fixed order; relspec departs absent
  // units in sorted name order so that the result is deterministic.
  const absent: UnitName[] = [];
  for (const unit of s.units.keys()) if (!change.changed.has(unit)) absent.push(unit);
  return E.flatMap(
    applyChange({ ...s, started: true }, { changed: new Map(), departed: absent }),
    (d) => applyChange(d, change),
  );
};

export const liveEmpty = (s: LiveSource): boolean =>
  !s.started || (s.queue.size === 0 && s.changedPending === '');

export const liveNext = (s: LiveSource): O.Option<HookInfo> => {
  if (liveEmpty(s)) return O.none;
  if (s.changedPending !== '') {
    const unit = s.changedPending;
    return O.some(unitHook('relation-changed', s.relationId, unit, entryOf(s, unit).version));
  }
  const unit = s.queue.get(s.queue.minKey() as number) as UnitName;
  const entry = entryOf(s, unit);
  return O.some(unitHook(entry.pending as UnitHookKind, s.relationId, unit, entry.version));
};

export const livePop = (s: LiveSource): E.Either<SourceError, LiveSource> => {
  if (liveEmpty(s)) return E.left(emptySource);
  if (s.changedPending !== '') {
    const unit = s.changedPending;
    // The relation-changed just delivered carried the latest version, so a
    // queued relation-changed for the same unit has nothing left to say.
    const next = entryOf(s, unit).pending === 'relation-changed' ? dequeue(s, unit) : s;
    return E.right({ ...next, changedPending: '' });
  }
  const unit = s.queue.get(s.queue.minKey() as number) as UnitName;
  const entry = entryOf(s, unit);
  const next = dequeue(s, unit);
  switch (entry.pending) {
    case 'relation-joined':
      return E.right({
        ...withEntry(next, unit, { ...entryOf(next, unit), joined: true }),
        changedPending: unit,
      });
    case 'relation-departed':
      return E.right({ ...next, units: next.units.without(unit) });
    default:
      return E.right(next);
  }
};
