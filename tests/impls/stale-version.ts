// Broken on purpose: a unit already waiting in the queue keeps the version
// it had when it was queued; newer versions reported meanwhile are ignored.
// Breaks R-LIVE-VERSION-LATEST / G5a.

import { alteredUpdate, entry, serveMutant, setEntry } from './serve.ts';

await serveMutant('stale version for queued units', [
  alteredUpdate((before, initial, change) => {
    let after = initial;
    for (const unit of change.changed.keys()) {
      const old = entry(before, unit);
      const now = entry(after, unit);
      if (old?.pending === 'relation-changed' && now !== undefined && now.pending !== null) {
        after = setEntry(after, unit, { ...now, version: old.version });
      }
    }
    return after;
  }),
]);
