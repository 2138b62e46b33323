// Broken on purpose: within one watcher change, departures are queued before
// the changed units (the reference takes changed units first, in name
// order, then departures). Breaks R-LIVE-DEPART-ORDER / G8b.
import { RelationUnitsChange } from '../../src/model/change.ts';
import { defineOp, HandleName, ok } from '../../src/protocol/index.ts';
import { liveOf, referenceHandler, serveMutant } from './serve.ts';

const update = referenceHandler('source.update');

await serveMutant('departures before changes', [
  defineOp(
    'source.update',
    { source: HandleName, change: RelationUnitsChange },
    async (session, request) => {
      const live = liveOf(session, request.source);
      const { changed, departed } = request.change;
      if (live === undefined || !live.started || departed.length === 0)
        return update(session, request);
      const first = await update(session, { ...request, change: { changed: new Map(), departed } });
      if (first._tag !== 'Ok' || first.session === undefined) return first;
      const second = await update(first.session, { ...request, change: { changed, departed: [] } });
      return second._tag === 'Ok' ? ok(second.result, second.session ?? first.session) : second;
    },
  ),
]);
