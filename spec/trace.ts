import * as t from 'io-ts';
import { RelationUnitsChange } from '../src/model/change.ts';
import { HookInfo } from '../src/model/hook.ts';
import { State } from '../src/model/state.ts';
import { taggedUnion } from '../src/model/tagged.ts';

/**
 * One step of what an agent did for one relation, as the guarantee model
 * reads it. A trace is a sequence of these; `relspec check` reads them as
 * JSON Lines (one object per line, `"type"` first).
 *
 * - start:  the agent (re)starts and reads the relation's state back from
 *           disk; the first line of every trace, and the line after every crash.
 * - change: the watcher delivered this change to the agent (the first change
 *           after a start is the watcher's snapshot).
 * - hook:   the agent ran this hook.
 * - commit: the agent persisted this hook's effect (StateDir.write succeeded).
 * - crash:  the agent died; what was not committed is lost.
 * - dying:  the relation is dying: the agent switches to the dying source.
 * - idle:   the watcher is silent and the agent has nothing left to run.
 */
export type TraceEvent =
  | { readonly type: 'start'; readonly state: State }
  | { readonly type: 'change'; readonly change: RelationUnitsChange }
  | { readonly type: 'hook'; readonly hook: HookInfo }
  | { readonly type: 'commit'; readonly hook: HookInfo }
  | { readonly type: 'crash' }
  | { readonly type: 'dying' }
  | { readonly type: 'idle' };

export const TraceEvent: t.Type<TraceEvent, unknown, unknown> = taggedUnion(
  'type',
  {
    start: t.type({ type: t.literal('start'), state: State }),
    change: t.type({ type: t.literal('change'), change: RelationUnitsChange }),
    hook: t.type({ type: t.literal('hook'), hook: HookInfo }),
    commit: t.type({ type: t.literal('commit'), hook: HookInfo }),
    crash: t.type({ type: t.literal('crash') }),
    dying: t.type({ type: t.literal('dying') }),
    idle: t.type({ type: t.literal('idle') }),
  },
  'TraceEvent',
);
