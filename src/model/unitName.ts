import * as t from 'io-ts';
import { INT64_MAX } from './int64.ts';

// Juju's unit name grammar. The application is hyphen-separated groups of
// lower-case letters and digits, the first group starting with a letter and
// every later group holding a letter; the number is 0 or has no leading zero.
// Because no group after a hyphen is all digits, the state file name
// "foo-bar-1" maps back to "foo-bar/1" only, and no name can climb out of its
// relation directory. The number must fit Go's int so that reading the file
// name back (strconv.Atoi) recovers it.
const UNIT_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/(?:0|[1-9][0-9]*)$/;

export interface UnitNameBrand {
  readonly UnitName: unique symbol;
}
export type UnitName = t.Branded<string, UnitNameBrand>;

export const isUnitName = (s: string): s is UnitName => {
  if (!UNIT_NAME.test(s)) return false;
  const number = s.slice(s.indexOf('/') + 1);
  // Fewer than 19 digits always fit.
  return number.length < 19 || (number.length === 19 && BigInt(number) <= INT64_MAX);
};

export const UnitName = t.brand(t.string, (s): s is UnitName => isUnitName(s), 'UnitName');

export const unitName = (s: string): UnitName => {
  if (!isUnitName(s)) throw new RangeError(`not a unit name: ${JSON.stringify(s)}`);
  return s;
};

/** The unit's state file name: the first "/" becomes "-". */
export const unitFileName = (unit: UnitName): string => unit.replace('/', '-');

/** Go's sort.Strings order (bytewise); unit names are ASCII, so code units agree. */
export const compareUnits = (a: UnitName, b: UnitName): number => (a < b ? -1 : a > b ? 1 : 0);
