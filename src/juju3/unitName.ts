import * as E from 'fp-ts/lib/Either.js';
import { goQuote } from '../model/goquote.ts';

// The grammar of juju/names UnitApplication: an application name (groups of
// lower-case letters and digits joined by hyphens, the first starting with a
// letter and no later group all digits), a slash, and a number without
// leading zeros. Unlike the 2015 state files, no bound on the number.
const UNIT = /^([a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*)\/(?:0|[1-9][0-9]*)$/;

/** The application of a unit name, or Juju's error text for a bad name (J3-BAD-UNIT-NAME). */
export const unitApplication = (unit: string): E.Either<string, string> => {
  const m = UNIT.exec(unit);
  return m?.[1] !== undefined ? E.right(m[1]) : E.left(`${goQuote(unit)} is not a valid unit name`);
};

/** Go's %v of a map[string]int64: keys sorted, `map[k:v k:v]`. */
export const goMapText = (m: ReadonlyMap<string, bigint> | null): string => {
  if (m === null) return 'map[]';
  const keys = [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `map[${keys.map((k) => `${k}:${String(m.get(k))}`).join(' ')}]`;
};
