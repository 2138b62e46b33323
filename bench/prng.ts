/**
 * mulberry32, a small deterministic PRNG, so that every bench run replays the
 * same stream: figures from two machines (or two languages) measure the same
 * work. bench/README.md gives it in full for reimplementation.
 */
export interface Prng {
  /** The next 32-bit output, as an unsigned integer. */
  readonly u32: () => number;
  /** A float in [0, 1): u32 / 2^32. */
  readonly next: () => number;
  /** An integer in [0, n): floor(u32 * n / 2^32), exact for n < 2^21. */
  readonly below: (n: number) => number;
}

export const prng = (seed: number): Prng => {
  let a = seed >>> 0;
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => u32() / 4294967296;
  return { u32, next, below: (n) => Math.floor(next() * n) };
};
