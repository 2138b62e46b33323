// Broken on purpose: a unit already waiting in the queue keeps the version
// it had when it was queued; newer versions reported meanwhile are ignored.
// Breaks R-LIVE-VERSION-LATEST / G5a.
import { RelationUnitsChange } from '../../src/model/change.ts';
import { defineOp, HandleName, ok } from '../../src/protocol/index.ts';
import { entry, liveOf, referenceHandler, replaceSource, serveMutant, setEntry } from './serve.ts';

const update = referenceHandler('source.update');

await serveMutant('stale version for queued units', [
  defineOp(
    'source.update',
    { source: HandleName, change: RelationUnitsChange },
    async (session, request) => {
      const before = liveOf(session, request.source);
      const reply = await update(session, request);
      if (before === undefined || reply._tag !== 'Ok' || reply.session === undefined) return reply;
      let after = liveOf(reply.session, request.source);
      if (after === undefined) return reply;
      for (const unit of request.change.changed.keys()) {
        const old = entry(before, unit);
        const now = entry(after, unit);
        if (old?.pending === 'relation-changed' && now !== undefined && now.pending !== null) {
          after = setEntry(after, unit, { ...now, version: old.version });
        }
      }
      return ok(reply.result, replaceSource(reply.session, request.source, after));
    },
  ),
]);
