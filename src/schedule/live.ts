import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../model/change.ts';
import type { ChangeVersion } from '../model/changeVersion.ts';
import { type HookInfo, unitHook } from '../model/hook.ts';
import type { UnitHookKind } from '../model/hookKind.ts';
import type { RelationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import { compareUnits, type UnitName } from '../model/unitName.ts';
import {
  emptySource,
  firstChangeHasDepartures,
  pendingUnitNotMember,
  type SourceError,
  unknownDeparture,
} from './errors.ts';
import { PersistentMap, PersistentSortedMap } from './persistentMap.ts';

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
 * The live source as an immutable value. Both maps are persistent
 * (persistentMap.ts), so old values stay valid, and cost what their mutable
 * stores cost when each new value is used in turn: the units in a Map, the
 * queue in an ordered list (its order is what it is for).
 */
export interface LiveSource {
  readonly _tag: 'LiveSource';
  readonly relationId: RelationId;
  /** Whether the first change (the snapshot) has been applied. */
  readonly started: boolean;
  readonly units: PersistentMap<UnitName, UnitEntry>;
  /** Queued units by enqueue sequence number: the minimum key is the head. */
  readonly queue: PersistentSortedMap<number, UnitName>;
  readonly nextSeq: number;
  /** A unit whose relation-changed must be the next hook, or "". */
  readonly changedPending: UnitName | '';
}

const NOT_QUEUED = -1;

const compareSeqs = (a: number, b: number): number => a - b;

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
    units: PersistentMap.of(entries, compareUnits),
    queue: PersistentSortedMap.empty(compareSeqs),
    nextSeq: 0,
    changedPending: initial.changedPending,
  });
};

/**
 * The working copy of one operation, which becomes its result: each write
 * replaces its maps by their new versions, and the source it came from
 * keeps its own, so every LiveSource value stays immutable.
 */
interface Draft {
  readonly _tag: 'LiveSource';
  readonly relationId: RelationId;
  started: boolean;
  units: PersistentMap<UnitName, UnitEntry>;
  queue: PersistentSortedMap<number, UnitName>;
  nextSeq: number;
  changedPending: UnitName | '';
}

// Written out, not spread: every source then has one shape, which keeps
// the reads of its fields fast.
const draft = (s: LiveSource): Draft => ({
  _tag: 'LiveSource',
  relationId: s.relationId,
  started: s.started,
  units: s.units,
  queue: s.queue,
  nextSeq: s.nextSeq,
  changedPending: s.changedPending,
});

/** The draft as a source value; the draft must not be written afterwards. */
const seal = (d: Draft): LiveSource => {
  d.started = true;
  return d;
};

/** Give a known unit a pending kind: at the tail if it was not queued, else in place. */
const enqueue = (
  d: Draft,
  unit: UnitName,
  entry: UnitEntry,
  kind: UnitHookKind,
  version: ChangeVersion,
): void => {
  if (entry.pending !== null) {
    d.units = d.units.with(unit, { ...entry, version, pending: kind });
    return;
  }
  const seq = d.nextSeq++;
  d.units = d.units.with(unit, { version, joined: entry.joined, pending: kind, seq });
  d.queue = d.queue.with(seq, unit);
};

/** Take the unit out of the queue, if it is in it; its place is lost. */
const dequeue = (d: Draft, unit: UnitName, entry: UnitEntry, version: ChangeVersion): void => {
  if (entry.pending !== null) d.queue = d.queue.without(entry.seq);
  d.units = d.units.with(unit, { version, joined: entry.joined, pending: null, seq: NOT_QUEUED });
};

const applyChanged = (d: Draft, unit: UnitName, version: ChangeVersion): void => {
  const entry = d.units.get(unit);
  if (entry === undefined) {
    const seq = d.nextSeq++;
    d.units = d.units.with(unit, { version, joined: false, pending: 'relation-joined', seq });
    d.queue = d.queue.with(seq, unit);
  } else if (entry.pending === 'relation-joined') {
    if (version !== entry.version) d.units = d.units.with(unit, { ...entry, version });
  } else if (version !== entry.version) {
    enqueue(d, unit, entry, 'relation-changed', version);
  } else if (entry.pending !== null) {
    // The equal-version rule: the unit is up to date, even if a changed
    // hook was still owed (the known quirk when versions repeat).
    dequeue(d, unit, entry, version);
  }
};

/** false when the unit is unknown (the draft is then abandoned). */
const applyDeparted = (d: Draft, unit: UnitName): boolean => {
  const entry = d.units.get(unit);
  if (entry === undefined) return false;
  // A unit that never joined locally leaves without any hook; it stays known.
  if (entry.pending === 'relation-joined') dequeue(d, unit, entry, entry.version);
  else enqueue(d, unit, entry, 'relation-departed', entry.version);
  return true;
};

/** The draft `applyOne` writes to, while a change's forEach runs. */
let applying: Draft | undefined;
const applyOne = (version: ChangeVersion, unit: UnitName): void =>
  applyChanged(applying as Draft, unit, version);

const applyChange = (d: Draft, change: RelationUnitsChange): E.Either<SourceError, Draft> => {
  if (change.changed.size === 1) {
    // Most changes name one unit: no array of names to make and sort, and
    // no closure either (the callback reads the draft from `applying`).
    applying = d;
    change.changed.forEach(applyOne);
    applying = undefined;
  } else if (change.changed.size > 1) {
    const changed = [...change.changed.keys()].sort(compareUnits);
    for (const unit of changed) applyChanged(d, unit, change.changed.get(unit) as ChangeVersion);
  }
  for (const unit of change.departed) {
    if (!applyDeparted(d, unit)) return E.left(unknownDeparture(unit));
  }
  return E.right(d);
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
  if (s.started) {
    const applied = applyChange(draft(s), change);
    return E.isLeft(applied) ? applied : E.right(seal(applied.right));
  }
  if (change.departed.length > 0) return E.left(firstChangeHasDepartures(change.departed));
  // Go ranges over a map here, in no fixed order; relspec departs absent
  // units in sorted name order so that the result is deterministic.
  const absent: UnitName[] = [];
  for (const unit of s.units.keys()) if (!change.changed.has(unit)) absent.push(unit);
  return pipe(
    applyChange(draft(s), { changed: new Map(), departed: absent }),
    E.flatMap((d) => applyChange(d, change)),
    E.map(seal),
  );
};

export const liveEmpty = (s: LiveSource): boolean =>
  !s.started || (s.queue.size === 0 && s.changedPending === '');

const entryOf = (s: LiveSource, unit: UnitName): UnitEntry => {
  const entry = s.units.get(unit);
  if (entry === undefined) throw new Error(`live source invariant: ${unit} is not known`);
  return entry;
};

export const liveNext = (s: LiveSource): O.Option<HookInfo> => {
  if (liveEmpty(s)) return O.none;
  if (s.changedPending !== '') {
    const unit = s.changedPending;
    return O.some(unitHook('relation-changed', s.relationId, unit, entryOf(s, unit).version));
  }
  const unit = s.queue.first() as UnitName;
  const entry = entryOf(s, unit);
  return O.some(unitHook(entry.pending as UnitHookKind, s.relationId, unit, entry.version));
};

export const livePop = (s: LiveSource): E.Either<SourceError, LiveSource> => {
  if (liveEmpty(s)) return E.left(emptySource);
  const d = draft(s);
  if (s.changedPending !== '') {
    const unit = s.changedPending;
    const entry = entryOf(s, unit);
    // The relation-changed just delivered carried the latest version, so a
    // queued relation-changed for the same unit has nothing left to say.
    if (entry.pending === 'relation-changed') dequeue(d, unit, entry, entry.version);
    d.changedPending = '';
    return E.right(seal(d));
  }
  const unit = s.queue.first() as UnitName;
  const entry = entryOf(s, unit);
  switch (entry.pending) {
    case 'relation-joined':
      d.queue = d.queue.without(entry.seq);
      d.units = d.units.with(unit, {
        version: entry.version,
        joined: true,
        pending: null,
        seq: NOT_QUEUED,
      });
      d.changedPending = unit;
      break;
    case 'relation-departed':
      d.queue = d.queue.without(entry.seq);
      d.units = d.units.without(unit);
      break;
    default:
      dequeue(d, unit, entry, entry.version);
  }
  return E.right(seal(d));
};
