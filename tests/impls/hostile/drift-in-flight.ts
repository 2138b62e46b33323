// Hostile: slower than the reference (every answer waits a little) and wrong
// from the start: statedir.ensure reports a field the reference does not.
// When the runner sees the drift, dozens of requests (writes among them)
// are still in flight, and the implementation goes on executing them.
import { HookInfo } from '../../../src/model/hook.ts';
import { defineOp, HandleName, ok, type Reply } from '../../../src/protocol/index.ts';
import { referenceHandler, serveMutant } from '../serve.ts';
import './pids.ts';

const ensure = referenceHandler('statedir.ensure');
const write = referenceHandler('statedir.write');
const slowly = <A>(value: A): Promise<A> =>
  new Promise((resolve) => setTimeout(() => resolve(value), 2));

await serveMutant('hostile: drifts with requests in flight', [
  defineOp('statedir.ensure', { dir: HandleName }, async (session, request): Promise<Reply> => {
    const reply = await ensure(session, request);
    if (reply._tag !== 'Ok') return reply;
    return slowly(ok({ ...reply.result, drift: true }, reply.session));
  }),
  defineOp('statedir.write', { dir: HandleName, hook: HookInfo }, async (session, request) =>
    slowly(await write(session, request)),
  ),
]);
