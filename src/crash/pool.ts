// The points of a phase are independent processes, so up to `jobs` of them
// run at once, each on a slot of its own; the caller reads the results in
// point order, so what it tallies, reports and shrinks does not depend on
// which point finished first.

export interface Pool {
  /**
   * Starts `work` on every item, at most one per slot at a time, in item
   * order as slots come free; one promise per item, in item order.
   */
  readonly map: <S, A, B>(
    items: readonly A[],
    slots: readonly S[],
    work: (item: A, slot: S, index: number) => Promise<B>,
  ) => readonly Promise<B>[];
  /** Waits until no work started here is running (before its directories are removed). */
  readonly settled: () => Promise<void>;
}

export const pool = (): Pool => {
  const started: Promise<unknown>[] = [];
  return {
    map: <S, A, B>(
      items: readonly A[],
      slots: readonly S[],
      work: (item: A, slot: S, index: number) => Promise<B>,
    ) => {
      const free = [...slots];
      const waiting: ((slot: S) => void)[] = [];
      // Items ask in their order: the first ones get the free slots, the others queue.
      const acquire = (): Promise<S> => {
        const slot = free.shift();
        return slot !== undefined
          ? Promise.resolve(slot)
          : new Promise<S>((resolve) => waiting.push(resolve));
      };
      const release = (slot: S) => {
        const next = waiting.shift();
        if (next !== undefined) next(slot);
        else free.push(slot);
      };
      const out = items.map(async (item, i) => {
        const slot = await acquire();
        try {
          return await work(item, slot, i);
        } finally {
          release(slot);
        }
      });
      // A rejection is the caller's to see when it reads that result; the
      // ones it never reads (it stopped at an earlier one) must not end the process.
      for (const p of out) started.push(p.catch(() => undefined));
      return out;
    },
    settled: async () => {
      await Promise.all(started);
    },
  };
};
