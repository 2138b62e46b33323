import { goQuote } from '../../../src/model/goquote.ts';
import type { HookInfo } from '../../../src/model/hook.ts';
import type { State } from '../../../src/model/state.ts';
import type { Off } from './rules.ts';

// A copy of the reference Validate (src/state/validate.ts) with each rule's
// switch point marked. Returns the refusal message, or undefined when valid.

export const mutantValidate = (off: Off, state: State, hook: HookInfo): string | undefined => {
  const quote = off('R-VALIDATE-PREFIX') ? (s: string) => `'${s}'` : goQuote;
  const refuse = (reason: string) =>
    `inappropriate ${goQuote(hook.kind)} for ${quote(hook.remoteUnit)}: ${reason}`;
  if (hook.relationId !== state.relationId && !off('R-VALIDATE-RELATION')) {
    return refuse(`expected relation ${state.relationId}, got relation ${hook.relationId}`);
  }
  if (state.members === null && !off('R-VALIDATE-BROKEN')) {
    return refuse('relation is broken and cannot be changed further');
  }
  const members = state.members ?? new Map();
  const pendingCheck = (): string | undefined =>
    state.changedPending !== '' &&
    !off('R-VALIDATE-PENDING') &&
    !(hook.kind === 'relation-changed' && hook.remoteUnit === state.changedPending)
      ? refuse(`expected "relation-changed" for ${goQuote(state.changedPending)}`)
      : undefined;
  if (off('R-VALIDATE-ORDER')) {
    const refused = pendingCheck();
    if (refused !== undefined) return refused;
  }
  if (hook.kind === 'relation-broken') {
    return members.size === 0 || off('R-VALIDATE-BROKEN-HOOK')
      ? undefined
      : refuse('cannot run "relation-broken" while units still present');
  }
  if (state.changedPending !== '' && !off('R-VALIDATE-PENDING')) return pendingCheck();
  const joined = members.has(hook.remoteUnit);
  if (joined && hook.kind === 'relation-joined' && !off('R-VALIDATE-JOINED')) {
    return refuse('unit already joined');
  }
  if (!joined && hook.kind !== 'relation-joined' && !off('R-VALIDATE-NOT-JOINED')) {
    return refuse('unit has not joined');
  }
  if (joined && hook.kind === 'relation-departed' && off('R-VALIDATE-ACCEPT')) {
    return refuse('unit has not joined');
  }
  if (
    joined &&
    hook.kind === 'relation-changed' &&
    members.get(hook.remoteUnit) === hook.changeVersion &&
    off('R-VALIDATE-NO-VERSIONS')
  ) {
    return refuse('version already seen');
  }
  return undefined;
};
