import * as E from 'fp-ts/lib/Either.js';

/** `--shard k/n`: the k-th of n deterministic shares of every phase's runs (1 <= k <= n). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const parseShard = (raw: string): E.Either<string, Shard> => {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    return E.left(`--shard must be k/n with 1 <= k <= n, got ${JSON.stringify(raw)}`);
  }
  return E.right({ index, count });
};

/**
 * Whether run (or fixture) `i` of a phase is in the shard: every n-th one,
 * from the (k-1)-th. Together the n shards run each index exactly once.
 */
export const inShard = (shard: Shard | undefined, i: number): boolean =>
  shard === undefined || i % shard.count === shard.index - 1;

/** The run indices of a phase of `runs` runs that the shard takes, in order. */
export const shardRuns = (shard: Shard | undefined, runs: number): number[] => {
  const indices: number[] = [];
  for (let i = 0; i < runs; i++) if (inShard(shard, i)) indices.push(i);
  return indices;
};
