/** A small seeded generator (mulberry32): the same seed gives the same sample. */
export const rng = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const shuffle = <A>(items: readonly A[], next: () => number): A[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as A, out[i] as A];
  }
  return out;
};

/**
 * `count` items (all when `count` is undefined), drawn round-robin over the
 * groups so that every group is tried once before any is tried twice; the
 * order inside each group and of the groups comes from the seed. The result
 * keeps the items' original order.
 */
export const stratifiedSample = <A>(
  items: readonly A[],
  groupOf: (a: A) => string,
  count: number | undefined,
  seed: number,
): A[] => {
  if (count === undefined || count >= items.length) return [...items];
  const next = rng(seed);
  const groups = new Map<string, A[]>();
  for (const item of items) {
    const key = groupOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const queues = shuffle([...groups.values()], next).map((g) => shuffle(g, next));
  const picked = new Set<A>();
  while (picked.size < count) {
    for (const q of queues) {
      const item = q.shift();
      if (item !== undefined && picked.size < count) picked.add(item);
    }
  }
  return items.filter((i) => picked.has(i));
};

/**
 * A stratified sample (see above) that also holds at least one item of
 * every kind, so that no request kind with calls goes untried.
 */
export const coveringSample = <A>(
  items: readonly A[],
  kindOf: (a: A) => string,
  groupOf: (a: A) => string,
  count: number | undefined,
  seed: number,
): A[] => {
  const sample = new Set(stratifiedSample(items, groupOf, count, seed));
  const covered = new Set([...sample].map(kindOf));
  const next = rng(seed ^ 0x5bd1e995);
  const byKind = new Map<string, A[]>();
  for (const item of items) byKind.set(kindOf(item), [...(byKind.get(kindOf(item)) ?? []), item]);
  for (const [kind, group] of byKind) {
    if (covered.has(kind)) continue;
    sample.add(group[Math.floor(next() * group.length)] as A);
  }
  return items.filter((i) => sample.has(i));
};
