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
// old versions pay only for the distance they travel.

interface Root<K, V> {
  readonly tag: 'root';
  readonly data: Map<K, V>;
}

/** This version is `next` with `key` bound to `value` (or absent). */
interface Diff<K, V> {
  readonly tag: 'diff';
  readonly key: K;
  readonly present: boolean;
  readonly value: V | undefined;
  readonly next: Version<K, V>;
}

/** The one mutable cell of a version: which of the two it is right now. */
interface Version<K, V> {
  at: Root<K, V> | Diff<K, V>;
}

/** Make `v` the root; afterwards `v.at` is a Root. */
const reroot = <K, V>(v: Version<K, V>): Map<K, V> => {
  if (v.at.tag === 'root') return v.at.data;
  // The path from v to the root, then each step reversed from the root end.
  const path: Version<K, V>[] = [];
  let at: Version<K, V> = v;
  while (at.at.tag === 'diff') {
    path.push(at);
    at = at.at.next;
  }
  const data = at.at.data;
  for (let i = path.length - 1; i >= 0; i--) {
    const here = path[i] as Version<K, V>;
    const diff = here.at as Diff<K, V>;
    const next = diff.next;
    const had = data.has(diff.key);
    next.at = { tag: 'diff', key: diff.key, present: had, value: data.get(diff.key), next: here };
    if (diff.present) data.set(diff.key, diff.value as V);
    else data.delete(diff.key);
    here.at = { tag: 'root', data };
  }
  return data;
};

export class PersistentMap<K, V> {
  private constructor(
    private readonly version: Version<K, V>,
    /** The order of `keys` and `toArray`, which the Map's insertion order is not. */
    private readonly compare: (a: K, b: K) => number,
  ) {}

  /** A map of `entries` (a later duplicate key wins, as in a Map). */
  static of<K, V>(
    entries: Iterable<readonly [K, V]>,
    compare: (a: K, b: K) => number,
  ): PersistentMap<K, V> {
    const data = new Map<K, V>();
    for (const [k, v] of entries) data.set(k, v);
    return new PersistentMap({ at: { tag: 'root', data } }, compare);
  }

  get(key: K): V | undefined {
    return reroot(this.version).get(key);
  }

  has(key: K): boolean {
    return reroot(this.version).has(key);
  }

  get size(): number {
    return reroot(this.version).size;
  }

  /** This map with `key` bound to `value`. */
  with(key: K, value: V): PersistentMap<K, V> {
    return this.change(key, true, value);
  }

  /** This map without `key` (itself when `key` is absent). */
  without(key: K): PersistentMap<K, V> {
    return this.has(key) ? this.change(key, false, undefined) : this;
  }

  /** The keys in `compare` order. */
  keys(): K[] {
    return [...reroot(this.version).keys()].sort(this.compare);
  }

  /** The entries in key order. */
  toArray(): [K, V][] {
    return [...reroot(this.version)].sort(([a], [b]) => this.compare(a, b));
  }

  private change(key: K, present: boolean, value: V | undefined): PersistentMap<K, V> {
    const data = reroot(this.version);
    const next: Version<K, V> = { at: { tag: 'root', data } };
    const old = data.get(key);
    // The old version becomes the difference back from the new root.
    this.version.at = {
      tag: 'diff',
      key,
      present: old !== undefined || data.has(key),
      value: old,
      next,
    };
    if (present) data.set(key, value as V);
    else data.delete(key);
    return new PersistentMap(next, this.compare);
  }
}
