// Broken on purpose: a queued unit whose pending hook is replaced (a newer
// version, or a departure) goes to the tail instead of keeping its place.
// Breaks R-LIVE-QUEUE-KEEPS-PLACE / G8b.

import { RelationUnitsChange } from '../../src/model/change.ts';
import type { UnitName } from '../../src/model/unitName.ts';
import { defineOp, HandleName, ok } from '../../src/protocol/index.ts';
import { entry, liveOf, referenceHandler, replaceSource, serveMutant, toTail } from './serve.ts';

const update = referenceHandler('source.update');

await serveMutant('replaced pending hooks lose their queue place', [
  defineOp(
    'source.update',
    { source: HandleName, change: RelationUnitsChange },
    async (session, request) => {
      const before = liveOf(session, request.source);
      const reply = await update(session, request);
      if (before === undefined || reply._tag !== 'Ok' || reply.session === undefined) return reply;
      let after = liveOf(reply.session, request.source);
      if (after === undefined) return reply;
      const touched: UnitName[] = [
        ...[...request.change.changed.keys()].sort(),
        ...request.change.departed,
      ];
      for (const unit of touched) {
        const old = entry(before, unit);
        const now = entry(after, unit);
        if (old?.pending != null && now?.pending != null && now.seq === old.seq) {
          after = toTail(after, unit, now.pending);
        }
      }
      return ok(reply.result, replaceSource(reply.session, request.source, after));
    },
  ),
]);
