// Broken on purpose: the equal-version rule is ignored: a known unit
// reported with the version it already has gets a relation-changed anyway
// (as after every restart's snapshot). Breaks R-LIVE-EQUAL-VERSION / G5b.

import { RelationUnitsChange } from '../../src/model/change.ts';
import type { UnitName } from '../../src/model/unitName.ts';
import { defineOp, HandleName, ok } from '../../src/protocol/index.ts';
import { entry, liveOf, referenceHandler, replaceSource, serveMutant, toTail } from './serve.ts';

const update = referenceHandler('source.update');

await serveMutant('equal-version rule ignored', [
  defineOp(
    'source.update',
    { source: HandleName, change: RelationUnitsChange },
    async (session, request) => {
      const before = liveOf(session, request.source);
      const reply = await update(session, request);
      if (before === undefined || reply._tag !== 'Ok' || reply.session === undefined) return reply;
      let after = liveOf(reply.session, request.source);
      if (after === undefined) return reply;
      for (const unit of [...request.change.changed.keys()].sort() as UnitName[]) {
        const old = entry(before, unit);
        if (old === undefined || old.pending === 'relation-joined') continue;
        if (
          old.version === request.change.changed.get(unit) &&
          entry(after, unit)?.pending == null
        ) {
          after = toTail(after, unit, 'relation-changed');
        }
      }
      return ok(reply.result, replaceSource(reply.session, request.source, after));
    },
  ),
]);
