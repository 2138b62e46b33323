// Broken on purpose: the dying source runs relation-broken before the
// departures. Breaks R-DYING-ORDER / G4b / G8c.
import { State } from '../../src/model/state.ts';
import { defineOp, HandleName, ok, withSource } from '../../src/protocol/index.ts';
import { dyingHooks } from '../../src/schedule/dying.ts';
import { listSource } from '../../src/schedule/list.ts';
import { serveMutant } from './serve.ts';

await serveMutant('relation-broken before the departures', [
  defineOp('source.dying', { source: HandleName, state: State }, (session, request) => {
    const hooks = dyingHooks(request.state);
    const broken = hooks.filter((h) => h.kind === 'relation-broken');
    const rest = hooks.filter((h) => h.kind !== 'relation-broken');
    return ok({}, withSource(session, request.source, listSource([...broken, ...rest])));
  }),
]);
