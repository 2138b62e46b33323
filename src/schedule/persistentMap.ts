import { OrderedStore } from './orderedStore.ts';

// A persistent map: every value is immutable (`with` and `without` return a
// new map and leave the old one as it was), and the newest version costs
// what a JavaScript Map costs. It is the classic rerooting ("shallow
// binding") representation of persistent arrays: one Map holds the contents
// of one version, the root; every other version is a difference (one key,
// its value there) from a neighbour nearer the root. Reading a version that
// is not the root first makes it the root, reversing the differences on the
// way, so the price of going back is the number of changes in between. A
// caller that uses each new version in turn (the reference engine, `relspec
// serve`) never goes back, so every operation is O(1); properties that keep
// old versions pay only for the distance they travel. The contents live in
// any store with a Map's operations: a Map (PersistentMap), or an ordered
// store when the order of the keys matters (PersistentSortedMap).

/** Where the root's contents live: a Map, or anything with its operations. */
export interface Store<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): unknown;
  delete(key: K): unknown;
  readonly size: number;
}

/** What a map may hold: anything but undefined, which stands for "absent". */
type Defined = NonNullable<unknown> | null;

const bind = <K, V>(data: Store<K, V>, key: K, value: V | undefined): void => {
  if (value === undefined) data.delete(key);
  else data.set(key, value);
};

/**
 * One version, and the one object `with` and `without` allocate. While it is
 * the root, `data` holds its contents; otherwise it is `next` with `key`
 * bound to `value` (absent when `value` is undefined).
 */
abstract class Version<K, V extends Defined> {
  private data: Store<K, V> | null;
  private key: K | undefined = undefined;
  private value: V | undefined = undefined;
  private next: Version<K, V> | null = null;

  protected constructor(data: Store<K, V>) {
    this.data = data;
  }

  /** A new version of the same kind whose root holds `data`. */
  protected abstract fresh(data: Store<K, V>): this;

  /** Make this version the root and return its contents. */
  protected store(): Store<K, V> {
    if (this.data !== null) return this.data;
    // The path from here to the root, then each step reversed from the root end.
    const path: Version<K, V>[] = [];
    let at: Version<K, V> = this;
    while (at.data === null) {
      path.push(at);
      at = at.next as Version<K, V>;
    }
    const data = at.data;
    for (let i = path.length - 1; i >= 0; i--) {
      const here = path[i] as Version<K, V>;
      const next = here.next as Version<K, V>;
      next.becomeDiff(data, here.key as K, here);
      bind(data, here.key as K, here.value);
      here.becomeRoot(data);
    }
    return data;
  }

  /** A new version with `key` bound (or not); this one becomes the difference back from it. */
  protected changed(key: K, value: V | undefined): this {
    const data = this.store();
    const next = this.fresh(data);
    this.becomeDiff(data, key, next);
    bind(data, key, value);
    return next;
  }

  /** Record how `key` is bound in `data` now, as this version's difference from `next`. */
  private becomeDiff(data: Store<K, V>, key: K, next: Version<K, V>): void {
    this.value = data.get(key);
    this.key = key;
    this.next = next;
    this.data = null;
  }

  private becomeRoot(data: Store<K, V>): void {
    this.data = data;
    this.key = undefined;
    this.value = undefined;
    this.next = null;
  }
}

/** A persistent map over a JavaScript Map; `keys` and `toArray` sort by `compare`. */
export class PersistentMap<K, V extends Defined> extends Version<K, V> {
  private constructor(
    data: Store<K, V>,
    /** The order of `keys` and `toArray`, which the Map's insertion order is not. */
    private readonly compare: (a: K, b: K) => number,
  ) {
    super(data);
  }

  /** A map of `entries` (a later duplicate key wins, as in a Map). */
  static of<K, V extends Defined>(
    entries: Iterable<readonly [K, V]>,
    compare: (a: K, b: K) => number,
  ): PersistentMap<K, V> {
    const data = new Map<K, V>();
    for (const [k, v] of entries) data.set(k, v);
    return new PersistentMap(data, compare);
  }

  protected fresh(data: Store<K, V>): this {
    return new PersistentMap(data, this.compare) as this;
  }

  get(key: K): V | undefined {
    return this.store().get(key);
  }

  has(key: K): boolean {
    return this.store().has(key);
  }

  get size(): number {
    return this.store().size;
  }

  /** This map with `key` bound to `value`. */
  with(key: K, value: V): PersistentMap<K, V> {
    return this.changed(key, value);
  }

  /** This map without `key` (itself when `key` is absent). */
  without(key: K): PersistentMap<K, V> {
    return this.has(key) ? this.changed(key, undefined) : this;
  }

  /** The keys in `compare` order. */
  keys(): K[] {
    return [...(this.store() as Map<K, V>).keys()].sort(this.compare);
  }

  /** The entries in key order. */
  toArray(): [K, V][] {
    return [...(this.store() as Map<K, V>)].sort(([a], [b]) => this.compare(a, b));
  }
}

/** A persistent map kept in key order (over orderedStore.ts), for keys that mostly grow. */
export class PersistentSortedMap<K, V extends Defined> extends Version<K, V> {
  static empty<K, V extends Defined>(compare: (a: K, b: K) => number): PersistentSortedMap<K, V> {
    return new PersistentSortedMap(new OrderedStore<K, V>(compare));
  }

  protected fresh(data: Store<K, V>): this {
    return new PersistentSortedMap(data) as this;
  }

  private ordered(): OrderedStore<K, V> {
    return this.store() as OrderedStore<K, V>;
  }

  get(key: K): V | undefined {
    return this.ordered().get(key);
  }

  get size(): number {
    return this.ordered().size;
  }

  /** The value at the smallest key. */
  first(): V | undefined {
    return this.ordered().first();
  }

  with(key: K, value: V): PersistentSortedMap<K, V> {
    return this.changed(key, value);
  }

  without(key: K): PersistentSortedMap<K, V> {
    return this.ordered().has(key) ? this.changed(key, undefined) : this;
  }

  /** The entries in key order. */
  entries(): [K, V][] {
    return this.ordered().entries();
  }

  /** The values in key order. */
  valuesArray(): V[] {
    return this.ordered()
      .entries()
      .map(([, v]) => v);
  }
}
