import { type UnitName, unitName } from '../../src/model/unitName.ts';

// Unit names come from one deterministic sequence so that shrinking keeps
// them readable and generated names never collide by accident. The
// applications are chosen so that name order differs from creation order
// (`foo-bar/1` < `mysql/0` < `wordpress/0`) and units numbered past 9 sort
// before smaller numbers (`a/10` < `a/2`): order bugs show.
const APPS = ['wordpress', 'mysql', 'foo-bar', 'a'] as const;

/** The k-th unit name of the sequence (k >= 0). */
export const nthUnit = (k: number): UnitName =>
  unitName(`${APPS[k % APPS.length]}/${Math.floor(k / APPS.length)}`);

/** A name outside the sequence, for units the watcher never reports. */
export const strangerUnit = (k: number): UnitName => unitName(`stranger/${k}`);
