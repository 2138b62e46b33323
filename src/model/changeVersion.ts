import * as t from 'io-ts';
import { isInt64 } from './int64.ts';

// A unit's settings version: a Go int64. It is a bigint so that the whole
// range survives decoding and encoding (JSON numbers above 2^53 included).
export interface ChangeVersionBrand {
  readonly ChangeVersion: unique symbol;
}
export type ChangeVersion = t.Branded<bigint, ChangeVersionBrand>;

const isChangeVersion = (u: unknown): u is ChangeVersion => typeof u === 'bigint' && isInt64(u);

export const ChangeVersion = new t.Type<ChangeVersion, bigint, unknown>(
  'ChangeVersion',
  isChangeVersion,
  (u, c) => {
    if (isChangeVersion(u)) return t.success(u);
    if (typeof u === 'number' && Number.isSafeInteger(u))
      return t.success(BigInt(u) as ChangeVersion);
    return t.failure(u, c, 'expected an int64 integer');
  },
  (v) => v,
);

export const changeVersion = (n: bigint | number): ChangeVersion => {
  const v = typeof n === 'number' ? BigInt(n) : n;
  if (!isChangeVersion(v)) throw new RangeError(`not an int64: ${String(n)}`);
  return v;
};

export const ZERO_VERSION = changeVersion(0n);
