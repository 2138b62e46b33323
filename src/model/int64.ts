// Go's int64 bounds. Versions and unit numbers live in this range, so
// everything that carries them uses bigint rather than number.
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export const isInt64 = (n: bigint): boolean => n >= INT64_MIN && n <= INT64_MAX;

/** Go's strconv.Atoi on a 64-bit platform: optional sign, decimal digits, int64 range. */
export const atoi = (s: string): bigint | undefined => {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return isInt64(n) ? n : undefined;
};
