// Broken on purpose: after relation-joined is popped, the owed
// relation-changed is forgotten (changedPending is never set). Breaks G2.
import * as O from 'fp-ts/lib/Option.js';
import { defineOp, HandleName, ok } from '../../src/protocol/index.ts';
import { next } from '../../src/schedule/source.ts';
import { liveOf, referenceHandler, replaceSource, serveMutant } from './serve.ts';

const pop = referenceHandler('source.pop');

await serveMutant('no relation-changed after relation-joined', [
  defineOp('source.pop', { source: HandleName }, async (session, request) => {
    const before = liveOf(session, request.source);
    const head = before === undefined ? O.none : next(before);
    const reply = await pop(session, request);
    if (reply._tag !== 'Ok' || reply.session === undefined || O.isNone(head)) return reply;
    if (head.value.kind !== 'relation-joined' || before?.changedPending !== '') return reply;
    const after = liveOf(reply.session, request.source);
    if (after === undefined) return reply;
    return ok(
      reply.result,
      replaceSource(reply.session, request.source, { ...after, changedPending: '' }),
    );
  }),
]);
