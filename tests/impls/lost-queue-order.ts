// Broken on purpose: a queued unit whose pending hook is replaced (a newer
// version, or a departure) goes to the tail instead of keeping its place.
// Breaks R-LIVE-QUEUE-KEEPS-PLACE / G8b.

import type { UnitName } from '../../src/model/unitName.ts';
import { alteredUpdate, entry, serveMutant, toTail } from './serve.ts';

await serveMutant('replaced pending hooks lose their queue place', [
  alteredUpdate((before, initial, change) => {
    let after = initial;
    const touched: UnitName[] = [...[...change.changed.keys()].sort(), ...change.departed];
    for (const unit of touched) {
      const old = entry(before, unit);
      const now = entry(after, unit);
      if (old?.pending != null && now?.pending != null && now.seq === old.seq) {
        after = toTail(after, unit, now.pending);
      }
    }
    return after;
  }),
]);
