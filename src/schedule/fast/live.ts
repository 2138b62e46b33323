import * as E from 'fp-ts/lib/Either.js';
import type { RelationUnitsChange } from '../../model/change.ts';
import type { ChangeVersion } from '../../model/changeVersion.ts';
import { type HookInfo, unitHook } from '../../model/hook.ts';
import type { UnitHookKind } from '../../model/hookKind.ts';
import type { RelationId } from '../../model/relationId.ts';
import type { State } from '../../model/state.ts';
import { compareUnits, type UnitName } from '../../model/unitName.ts';
import {
  emptySource,
  firstChangeHasDepartures,
  pendingUnitNotMember,
  type SourceError,
  unknownDeparture,
} from '../errors.ts';

// The live source of ../live.ts as one mutable object: a hash map from unit
// name to entry, and the queue threaded through the entries themselves (a
// doubly linked list), so that every operation touches O(1) objects per unit
// and allocates nothing but new entries and the hooks it hands out. Its
// answers are the reference's, step for step (tests/schedule/fast.test.ts).

/** What the source knows of one remote unit; `prev`/`next` link the queued ones. */
interface Entry {
  readonly unit: UnitName;
  version: ChangeVersion;
  /** The hook it waits for while it is in the queue, else null. */
  pending: UnitHookKind | null;
  prev: Entry | null;
  next: Entry | null;
}

export class FastLive {
  readonly _tag = 'FastLive';
  /** The source as a success, made once: the engine returns it from every update and pop. */
  readonly asRight: E.Either<never, FastLive> = E.right(this);
  private readonly units = new Map<UnitName, Entry>();
  private head: Entry | null = null;
  private tail: Entry | null = null;
  private started = false;
  /** The unit whose relation-changed must come next (it is always known). */
  private changedPending: Entry | null = null;

  private constructor(readonly relationId: RelationId) {}

  /** A live source for `initial`, before any watcher change. */
  static create(initial: State): E.Either<SourceError, FastLive> {
    const members = initial.members;
    if (initial.changedPending !== '' && members?.has(initial.changedPending) !== true) {
      return E.left(pendingUnitNotMember(initial.changedPending));
    }
    const s = new FastLive(initial.relationId);
    for (const [unit, version] of members ?? []) {
      s.units.set(unit, { unit, version, pending: null, prev: null, next: null });
    }
    if (initial.changedPending !== '')
      s.changedPending = s.units.get(initial.changedPending) ?? null;
    return E.right(s);
  }

  private append(e: Entry): void {
    e.prev = this.tail;
    e.next = null;
    if (this.tail === null) this.head = e;
    else this.tail.next = e;
    this.tail = e;
  }

  private unlink(e: Entry): void {
    if (e.prev === null) this.head = e.next;
    else e.prev.next = e.next;
    if (e.next === null) this.tail = e.prev;
    else e.next.prev = e.prev;
    e.prev = null;
    e.next = null;
    e.pending = null;
  }

  /** Give the unit a pending kind: at the tail if it was not queued, else in place. */
  private enqueue(e: Entry, kind: UnitHookKind): void {
    if (e.pending === null) this.append(e);
    e.pending = kind;
  }

  // forEach with one callback made once: for..of over a Map allocates an
  // iterator and an entry pair per change.
  private readonly onChanged = (version: ChangeVersion, unit: UnitName): void =>
    this.changed(unit, version);

  private changed(unit: UnitName, version: ChangeVersion): void {
    const e = this.units.get(unit);
    if (e === undefined) {
      const fresh: Entry = { unit, version, pending: 'relation-joined', prev: null, next: null };
      this.units.set(unit, fresh);
      this.append(fresh);
    } else if (e.pending === 'relation-joined') {
      e.version = version;
    } else if (version !== e.version) {
      e.version = version;
      this.enqueue(e, 'relation-changed');
    } else if (e.pending !== null) {
      // The equal-version rule, as in the reference.
      this.unlink(e);
    }
  }

  private departed(e: Entry): void {
    if (e.pending === 'relation-joined') this.unlink(e);
    else this.enqueue(e, 'relation-departed');
  }

  /** Apply a change whose departures are all known (checked by the caller). */
  private apply(change: RelationUnitsChange): void {
    const changed = change.changed;
    if (changed.size === 1) {
      changed.forEach(this.onChanged);
    } else if (changed.size > 1) {
      const names = [...changed.keys()].sort(compareUnits);
      for (const unit of names) this.changed(unit, changed.get(unit) as ChangeVersion);
    }
    for (const unit of change.departed) this.departed(this.units.get(unit) as Entry);
  }

  /**
   * Apply one watcher change, or leave the source as it was and say why.
   * Departures never forget a unit (only a pop does), so a departure is
   * valid exactly when its unit is known now or named by the same change.
   */
  update(change: RelationUnitsChange): SourceError | undefined {
    if (!this.started) {
      if (change.departed.length > 0) return firstChangeHasDepartures(change.departed);
      const absent: UnitName[] = [];
      for (const unit of this.units.keys()) if (!change.changed.has(unit)) absent.push(unit);
      absent.sort(compareUnits);
      this.started = true;
      for (const unit of absent) this.departed(this.units.get(unit) as Entry);
      this.apply(change);
      return undefined;
    }
    for (const unit of change.departed) {
      if (!this.units.has(unit) && !change.changed.has(unit)) return unknownDeparture(unit);
    }
    this.apply(change);
    return undefined;
  }

  empty(): boolean {
    return !this.started || (this.head === null && this.changedPending === null);
  }

  next(): HookInfo | undefined {
    if (!this.started) return undefined;
    const c = this.changedPending;
    if (c !== null) return unitHook('relation-changed', this.relationId, c.unit, c.version);
    const h = this.head;
    return h === null
      ? undefined
      : unitHook(h.pending as UnitHookKind, this.relationId, h.unit, h.version);
  }

  pop(): SourceError | undefined {
    if (this.empty()) return emptySource;
    const c = this.changedPending;
    if (c !== null) {
      // The relation-changed just delivered carried the latest version.
      if (c.pending === 'relation-changed') this.unlink(c);
      this.changedPending = null;
      return undefined;
    }
    const h = this.head as Entry;
    const kind = h.pending;
    this.unlink(h);
    if (kind === 'relation-joined') this.changedPending = h;
    else if (kind === 'relation-departed') this.units.delete(h.unit);
    return undefined;
  }

  /** How many units the source knows (the bench reports it). */
  get size(): number {
    return this.units.size;
  }
}
