import * as E from 'fp-ts/lib/Either.js';
import type { RelationUnitsChange } from '../../../src/model/change.ts';
import { type ChangeVersion, changeVersion } from '../../../src/model/changeVersion.ts';
import { type HookInfo, unitHook } from '../../../src/model/hook.ts';
import type { UnitHookKind } from '../../../src/model/hookKind.ts';
import type { RelationId } from '../../../src/model/relationId.ts';
import type { State } from '../../../src/model/state.ts';
import { compareUnits, type UnitName } from '../../../src/model/unitName.ts';
import {
  emptySource,
  firstChangeHasDepartures,
  pendingUnitNotMember,
  type SourceError,
  unknownDeparture,
} from '../../../src/schedule/errors.ts';
import type { Off } from './rules.ts';

// A copy of the reference live source (src/schedule/live.ts, behaviour.md
// "Live source"), written plainly over copied Maps, with each rule's switch
// point marked. With every switch on it behaves as the reference.

interface Entry {
  readonly version: ChangeVersion;
  readonly joined: boolean;
  readonly pending: UnitHookKind | null;
  /** Enqueue order while pending; kept after dequeueing only by the REQUEUE-TAIL mutant. */
  readonly seq: number;
}

export interface MutantLive {
  readonly _tag: 'MutantLive';
  readonly relationId: RelationId;
  readonly started: boolean;
  readonly units: ReadonlyMap<UnitName, Entry>;
  readonly nextSeq: number;
  readonly changedPending: UnitName | '';
  /** The version the changed-pending unit joined with (for the NEXT-LATEST-VERSION mutant). */
  readonly joinedVersion: ChangeVersion;
}

const NOT_QUEUED = -1;

/** Raised by the Q-UNKNOWN-DEPARTURE-ERROR mutant: Go crashed here. */
export class GoCrash extends Error {}

export const mutantLiveSource = (off: Off, initial: State): E.Either<SourceError, MutantLive> => {
  if (initial.members === null && off('R-LIVE-INITIAL-NULL')) {
    return E.left({
      _tag: 'PendingUnitNotMember',
      message: 'invalid initial state: members is null',
    });
  }
  const members = initial.members ?? new Map<UnitName, ChangeVersion>();
  if (
    initial.changedPending !== '' &&
    !members.has(initial.changedPending) &&
    !off('R-LIVE-INITIAL-PENDING-NOT-MEMBER')
  ) {
    return E.left(pendingUnitNotMember(initial.changedPending));
  }
  const units = new Map<UnitName, Entry>();
  for (const [unit, version] of members) {
    const v = off('R-LIVE-INITIAL-MEMBERS') ? changeVersion(0) : version;
    units.set(unit, { version: v, joined: true, pending: null, seq: NOT_QUEUED });
  }
  if (initial.changedPending !== '' && !units.has(initial.changedPending)) {
    units.set(initial.changedPending, {
      version: changeVersion(0),
      joined: true,
      pending: null,
      seq: NOT_QUEUED,
    });
  }
  return E.right({
    _tag: 'MutantLive',
    relationId: initial.relationId,
    started: false,
    units,
    nextSeq: 0,
    changedPending: initial.changedPending,
    joinedVersion: changeVersion(0),
  });
};

/** The working copy of one operation. */
interface Draft {
  units: Map<UnitName, Entry>;
  nextSeq: number;
  changedPending: UnitName | '';
  joinedVersion: ChangeVersion;
}

const draft = (s: MutantLive): Draft => ({
  units: new Map(s.units),
  nextSeq: s.nextSeq,
  changedPending: s.changedPending,
  joinedVersion: s.joinedVersion,
});

const seal = (s: MutantLive, d: Draft, started: boolean): MutantLive => ({
  ...s,
  started,
  units: d.units,
  nextSeq: d.nextSeq,
  changedPending: d.changedPending,
  joinedVersion: d.joinedVersion,
});

const queued = (units: ReadonlyMap<UnitName, Entry>): [UnitName, Entry][] =>
  [...units].filter(([, e]) => e.pending !== null).sort(([, a], [, b]) => a.seq - b.seq);

const toTail = (d: Draft, unit: UnitName, e: Entry, kind: UnitHookKind, v: ChangeVersion) => {
  d.units.set(unit, { version: v, joined: e.joined, pending: kind, seq: d.nextSeq++ });
};

const enqueue = (
  off: Off,
  d: Draft,
  unit: UnitName,
  e: Entry,
  kind: UnitHookKind,
  v: ChangeVersion,
) => {
  if (e.pending !== null) {
    if (off('R-LIVE-QUEUE-KEEPS-PLACE')) toTail(d, unit, e, kind, v);
    else d.units.set(unit, { ...e, version: v, pending: kind });
    return;
  }
  if (e.seq !== NOT_QUEUED && off('R-LIVE-REQUEUE-TAIL')) {
    d.units.set(unit, { ...e, version: v, pending: kind });
    return;
  }
  toTail(d, unit, e, kind, v);
};

const dequeue = (off: Off, d: Draft, unit: UnitName, e: Entry, v: ChangeVersion) => {
  const seq = off('R-LIVE-REQUEUE-TAIL') && e.pending !== null ? e.seq : NOT_QUEUED;
  d.units.set(unit, { version: v, joined: e.joined, pending: null, seq });
};

const applyChanged = (off: Off, d: Draft, unit: UnitName, reported: ChangeVersion) => {
  const e = d.units.get(unit);
  if (e === undefined) {
    if (off('R-LIVE-NEW-UNIT-JOINS')) {
      d.units.set(unit, {
        version: reported,
        joined: true,
        pending: 'relation-changed',
        seq: d.nextSeq++,
      });
    } else {
      d.units.set(unit, {
        version: reported,
        joined: false,
        pending: 'relation-joined',
        seq: d.nextSeq++,
      });
    }
    return;
  }
  const v = off('R-LIVE-VERSION-LATEST') && reported < e.version ? e.version : reported;
  if (e.pending === 'relation-joined') {
    if (off('R-LIVE-JOINED-PENDING-VERSION-ONLY') && v !== e.version) {
      toTail(d, unit, e, 'relation-joined', v);
    } else d.units.set(unit, { ...e, version: v });
    return;
  }
  if (!e.joined && e.pending === null) {
    if (off('Q-DEPART-BEFORE-JOIN-REAPPEAR') && v !== e.version) {
      toTail(d, unit, e, 'relation-joined', v);
      return;
    }
    if (off('Q-DEPART-BEFORE-JOIN-REAPPEAR-SAME') && v === e.version) {
      toTail(d, unit, e, 'relation-joined', v);
      return;
    }
  }
  if (v !== e.version || off('R-LIVE-EQUAL-VERSION')) {
    if (e.pending === null && off('R-LIVE-CHANGED-QUEUE')) d.units.set(unit, { ...e, version: v });
    else enqueue(off, d, unit, e, 'relation-changed', v);
  } else if (e.pending !== null) {
    if (e.pending === 'relation-changed' && off('Q-EQUAL-VERSION-DROPS-CHANGED')) return;
    if (e.pending === 'relation-departed' && off('Q-EQUAL-VERSION-DROPS-DEPARTED')) return;
    dequeue(off, d, unit, e, v);
  }
};

const applyDeparted = (off: Off, d: Draft, unit: UnitName): boolean => {
  const e = d.units.get(unit);
  if (e === undefined) {
    if (off('Q-UNKNOWN-DEPARTURE-ERROR')) {
      throw new GoCrash('panic: runtime error: invalid memory address or nil pointer dereference');
    }
    return off('R-LIVE-UNKNOWN-DEPARTURE');
  }
  if (e.pending === 'relation-joined') {
    if (off('R-LIVE-DEPART-QUEUED-JOINED'))
      enqueue(off, d, unit, e, 'relation-departed', e.version);
    else dequeue(off, d, unit, e, e.version);
  } else if (e.pending === null && off('R-LIVE-DEPART')) {
    // the departure is dropped
  } else enqueue(off, d, unit, e, 'relation-departed', e.version);
  return true;
};

const applyChange = (
  off: Off,
  d: Draft,
  change: RelationUnitsChange,
): E.Either<SourceError, Draft> => {
  const changed = [...change.changed.keys()];
  if (!off('R-LIVE-SORTED')) changed.sort(compareUnits);
  for (const unit of changed) applyChanged(off, d, unit, change.changed.get(unit) as ChangeVersion);
  const departed = off('R-LIVE-DEPART-ORDER') ? [...change.departed].reverse() : change.departed;
  for (const unit of departed) {
    if (!applyDeparted(off, d, unit)) return E.left(unknownDeparture(unit));
  }
  return E.right(d);
};

export const mutantLiveUpdate = (
  off: Off,
  s: MutantLive,
  change: RelationUnitsChange,
): E.Either<SourceError, MutantLive> => {
  const sealed = E.map((d: Draft) => seal(s, d, true));
  if (s.started) return sealed(applyChange(off, draft(s), change));
  if (change.departed.length > 0 && !off('R-LIVE-FIRST-NO-DEPARTURES')) {
    return E.left(firstChangeHasDepartures(change.departed));
  }
  const absent = off('R-LIVE-FIRST-ABSENT-DEPART')
    ? []
    : [...s.units.keys()].filter((u) => !change.changed.has(u)).sort(compareUnits);
  const d = applyChange(off, draft(s), { changed: new Map(), departed: absent });
  return sealed(E.isLeft(d) ? d : applyChange(off, d.right, change));
};

/** Whether next/pop find nothing (the reference's emptiness). */
const isEmpty = (off: Off, s: MutantLive): boolean =>
  (!s.started && !off('R-LIVE-EMPTY-BEFORE-FIRST')) ||
  (queued(s.units).length === 0 && s.changedPending === '');

/** The `empty` op's answer. */
export const mutantLiveEmpty = (off: Off, s: MutantLive): boolean =>
  off('R-LIVE-EMPTY') && s.started ? queued(s.units).length === 0 : isEmpty(off, s);

const version = (s: MutantLive, unit: UnitName): ChangeVersion =>
  s.units.get(unit)?.version ?? changeVersion(0);

export const mutantLiveNext = (off: Off, s: MutantLive): HookInfo | undefined => {
  if (isEmpty(off, s)) return undefined;
  const queue = queued(s.units);
  const pendingFirst = !off('R-LIVE-NEXT-PENDING-FIRST') || queue.length === 0;
  if (s.changedPending !== '' && pendingFirst) {
    const unit = s.changedPending;
    const v = off('R-LIVE-NEXT-LATEST-VERSION') ? s.joinedVersion : version(s, unit);
    return unitHook('relation-changed', s.relationId, unit, v);
  }
  const [unit, e] = (off('R-LIVE-NEXT-HEAD') ? queue.at(-1) : queue[0]) as [UnitName, Entry];
  return unitHook(e.pending as UnitHookKind, s.relationId, unit, e.version);
};

export const mutantLivePop = (off: Off, s: MutantLive): E.Either<SourceError, MutantLive> => {
  if (isEmpty(off, s)) return off('R-SOURCE-EMPTY-MISUSE') ? E.right(s) : E.left(emptySource);
  const d = draft(s);
  if (s.changedPending !== '') {
    const unit = s.changedPending;
    const e = d.units.get(unit);
    if (e !== undefined && e.pending === 'relation-changed' && !off('R-LIVE-POP-PENDING-CHANGED')) {
      dequeue(off, d, unit, e, e.version);
    }
    d.changedPending = '';
    return E.right(seal(s, d, true));
  }
  const queue = queued(s.units);
  const [unit, e] = (off('R-LIVE-POP-HEAD') ? queue.at(-1) : queue[0]) as [UnitName, Entry];
  switch (e.pending) {
    case 'relation-joined':
      d.units.set(unit, { version: e.version, joined: true, pending: null, seq: NOT_QUEUED });
      if (!off('R-LIVE-POP-JOINED')) {
        d.changedPending = unit;
        d.joinedVersion = e.version;
      }
      break;
    case 'relation-departed':
      if (off('R-LIVE-POP-DEPARTED-FORGETS')) {
        d.units.set(unit, { version: e.version, joined: false, pending: null, seq: NOT_QUEUED });
      } else d.units.delete(unit);
      break;
    default:
      dequeue(off, d, unit, e, e.version);
  }
  return E.right(seal(s, d, true));
};
