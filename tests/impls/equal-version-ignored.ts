// Broken on purpose: the equal-version rule is ignored: a known unit
// reported with the version it already has gets a relation-changed anyway
// (as after every restart's snapshot). Breaks R-LIVE-EQUAL-VERSION / G5b.

import type { UnitName } from '../../src/model/unitName.ts';
import { alteredUpdate, entry, serveMutant, toTail } from './serve.ts';

await serveMutant('equal-version rule ignored', [
  alteredUpdate((before, initial, change) => {
    let after = initial;
    for (const unit of [...change.changed.keys()].sort() as UnitName[]) {
      const old = entry(before, unit);
      if (old === undefined || old.pending === 'relation-joined') continue;
      if (old.version === change.changed.get(unit) && entry(after, unit)?.pending == null) {
        after = toTail(after, unit, 'relation-changed');
      }
    }
    return after;
  }),
]);
