import { type ChangeVersion, changeVersion } from '../model/changeVersion.ts';
import { INT64_MAX } from '../model/int64.ts';
import { compareUnits, type UnitName, unitName } from '../model/unitName.ts';

/**
 * What the watcher sees of one relation: the units present now and their
 * settings versions. Scenarios change it only through `applyEvent`, which
 * keeps the watcher's assumptions by construction: a departure names a
 * present unit (A2), names are never reused (A3), versions only grow (A4),
 * and a fresh watcher's first change is a snapshot without departures (A1).
 */
export interface World {
  readonly present: ReadonlyMap<UnitName, ChangeVersion>;
  /** Counter for fresh unit numbers: a name is never handed out twice. */
  readonly nextNumber: number;
}

export const emptyWorld: World = { present: new Map(), nextNumber: 0 };

/**
 * One watcher event in abstract form: indices pick among the present units
 * (modulo their count), so any subsequence of events (what shrinking
 * produces) still describes a well-behaved stream.
 */
export interface WatchEvent {
  /** New units: each picks an application name and a starting version. */
  readonly joins: readonly { readonly app: number; readonly version: bigint }[];
  /** Present units whose settings change, and by how much. */
  readonly bumps: readonly { readonly pick: number; readonly by: bigint }[];
  /** Present units that leave. */
  readonly departs: readonly number[];
  /** Permutation seed for the order of `changed` keys on the wire. */
  readonly order: number;
}

/** Application names, chosen so that bytewise order differs from numeric order. */
export const APPS = ['mysql', 'wordpress', 'foo-bar', 'a2'] as const;

/** A watcher change as it goes on the wire: `changed` keys in a deliberate order. */
export interface WireChange {
  readonly changed: readonly (readonly [UnitName, ChangeVersion])[];
  readonly departed: readonly UnitName[];
}

// Math.min does not take bigint; the int64 ceiling caps the growth.
const grow = (v: bigint, by: bigint): ChangeVersion => {
  const room = INT64_MAX - v;
  return changeVersion(by > room ? INT64_MAX : v + by);
};

/** A deterministic shuffle (Go ranges over maps in no fixed order; so may a watcher). */
const permute = <A>(items: readonly A[], seed: number): A[] => {
  const out = [...items];
  let x = (seed | 0) + 0x9e3779b9;
  for (let i = out.length - 1; i > 0; i--) {
    x = Math.imul(x ^ (x >>> 15), 0x85ebca6b);
    x ^= x >>> 13;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j] as A, out[i] as A];
  }
  return out;
};

/**
 * Apply an event to the world; returns the new world and the delta the
 * watcher reports (a unit both bumped and departing only departs). A bump
 * whose version cannot grow any more (int64 maximum) is left out.
 */
export const applyEvent = (
  world: World,
  event: WatchEvent,
): { world: World; delta: WireChange } => {
  const present = new Map(world.present);
  const sorted = [...present.keys()].sort(compareUnits);
  const departed: UnitName[] = [];
  if (sorted.length > 0) {
    for (const pick of event.departs) {
      const unit = sorted[pick % sorted.length] as UnitName;
      if (!departed.includes(unit)) departed.push(unit);
    }
  }
  const changed = new Map<UnitName, ChangeVersion>();
  const staying = sorted.filter((u) => !departed.includes(u));
  if (staying.length > 0) {
    for (const { pick, by } of event.bumps) {
      const unit = staying[pick % staying.length] as UnitName;
      const old = changed.get(unit) ?? (present.get(unit) as ChangeVersion);
      const next = grow(old, by);
      if (next !== old) changed.set(unit, next);
    }
  }
  let nextNumber = world.nextNumber;
  for (const { app, version } of event.joins) {
    const unit = unitName(`${APPS[app % APPS.length]}/${nextNumber++}`);
    changed.set(unit, changeVersion(version));
  }
  for (const unit of departed) present.delete(unit);
  for (const [unit, version] of changed) present.set(unit, version);
  return {
    world: { present, nextNumber },
    delta: { changed: permute([...changed], event.order), departed },
  };
};

/** A fresh watcher's first change: everyone present, no departures. */
export const snapshot = (world: World, order: number): WireChange => ({
  changed: permute([...world.present], order),
  departed: [],
});

/** The wire form of a change: an object whose keys keep the given order. */
export const encodeWireChange = (change: WireChange) => ({
  changed: Object.fromEntries(change.changed.map(([u, v]) => [u, { version: v }])),
  departed: [...change.departed],
});

/** The world after a change given as is (one that may break the assumptions). */
export const applyWire = (world: World, change: WireChange): World => {
  const present = new Map(world.present);
  for (const unit of change.departed) present.delete(unit);
  for (const [unit, version] of change.changed) present.set(unit, version);
  return { ...world, present };
};
