import * as E from 'fp-ts/lib/Either.js';
import { goQuote } from '../model/goquote.ts';
import type { HookInfo } from '../model/hook.ts';
import type { State } from '../model/state.ts';

/** Validate's refusal: `message` is Go's full text, `reason` the part after the prefix. */
export interface InappropriateHook {
  readonly _tag: 'InappropriateHook';
  readonly reason: string;
  readonly message: string;
}

const refuse = (hook: HookInfo, reason: string): E.Either<InappropriateHook, never> =>
  E.left({
    _tag: 'InappropriateHook',
    reason,
    message: `inappropriate ${goQuote(hook.kind)} for ${goQuote(hook.remoteUnit)}: ${reason}`,
  });

/**
 * State.Validate: whether `hook` may run next given `state`. The checks run in
 * Go's order and the first that applies gives the message. Versions are not
 * looked at.
 */
export const validate = (state: State, hook: HookInfo): E.Either<InappropriateHook, void> => {
  if (hook.relationId !== state.relationId) {
    return refuse(hook, `expected relation ${state.relationId}, got relation ${hook.relationId}`);
  }
  if (state.members === null) {
    return refuse(hook, 'relation is broken and cannot be changed further');
  }
  if (hook.kind === 'relation-broken') {
    return state.members.size === 0
      ? E.right(undefined)
      : refuse(hook, 'cannot run "relation-broken" while units still present');
  }
  if (state.changedPending !== '') {
    return hook.kind === 'relation-changed' && hook.remoteUnit === state.changedPending
      ? E.right(undefined)
      : refuse(hook, `expected "relation-changed" for ${goQuote(state.changedPending)}`);
  }
  const joined = state.members.has(hook.remoteUnit);
  if (joined && hook.kind === 'relation-joined') return refuse(hook, 'unit already joined');
  if (!joined && hook.kind !== 'relation-joined') return refuse(hook, 'unit has not joined');
  return E.right(undefined);
};
