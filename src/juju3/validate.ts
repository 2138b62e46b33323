import * as E from 'fp-ts/lib/Either.js';
import { goQuote } from '../model/goquote.ts';
import type { Hook, RelationState } from './types.ts';

/** One check of State.Validate: a message, or undefined to go on. */
export interface ValidateCheck {
  readonly id: string;
  /** `true` accepts at once; a string refuses; undefined goes on to the next check. */
  readonly check: (s: RelationState, h: Hook) => string | true | undefined;
}

/** The checks in Juju's order (J3-VALIDATE-ORDER). */
export const VALIDATE_CHECKS: readonly ValidateCheck[] = [
  {
    id: 'J3-VALIDATE-RELATION',
    check: (s, h) =>
      h.relationId !== s.relationId
        ? `expected relation ${s.relationId}, got relation ${h.relationId}`
        : undefined,
  },
  {
    id: 'J3-VALIDATE-BROKEN',
    check: (s) =>
      s.members === null ? 'relation is broken and cannot be changed further' : undefined,
  },
  {
    id: 'J3-VALIDATE-BROKEN-HOOK',
    check: (s, h) =>
      h.kind !== 'relation-broken'
        ? undefined
        : (s.members?.size ?? 0) === 0
          ? true
          : 'cannot run "relation-broken" while units still present',
  },
  {
    id: 'J3-VALIDATE-PENDING',
    check: (s, h) =>
      s.changedPending === ''
        ? undefined
        : h.remoteUnit !== s.changedPending || h.kind !== 'relation-changed'
          ? `expected "relation-changed" for ${goQuote(s.changedPending)}`
          : true,
  },
  { id: 'J3-VALIDATE-APP', check: (_, h) => (h.remoteUnit === '' ? true : undefined) },
  {
    id: 'J3-VALIDATE-JOINED',
    check: (s, h) =>
      h.kind === 'relation-joined' && (s.members?.has(h.remoteUnit) ?? false)
        ? 'unit already joined'
        : undefined,
  },
  {
    id: 'J3-VALIDATE-NOT-JOINED',
    check: (s, h) =>
      h.kind !== 'relation-joined' && !(s.members?.has(h.remoteUnit) ?? false)
        ? 'unit has not joined'
        : undefined,
  },
];

/** Juju's State.Validate with its message text (J3-VALIDATE-PREFIX). */
export const validateWith =
  (checks: readonly ValidateCheck[]) =>
  (s: RelationState, h: Hook): E.Either<string, void> => {
    for (const { check } of checks) {
      const verdict = check(s, h);
      if (verdict === true) break;
      if (verdict !== undefined)
        return E.left(`inappropriate ${goQuote(h.kind)} for ${goQuote(h.remoteUnit)}: ${verdict}`);
    }
    return E.right(undefined);
  };

export const validate = validateWith(VALIDATE_CHECKS);

/** Juju's hook.Info.Validate for relation hooks (J3-HOOKINFO). */
export const validateHookInfo = (h: Hook): E.Either<string, void> => {
  const kind = goQuote(h.kind);
  switch (h.kind) {
    case 'relation-changed':
      if (h.remoteUnit === '' && h.remoteApplication === '')
        return E.left(`${kind} hook requires a remote unit or application`);
      if (h.remoteUnit !== '' && h.remoteApplication === '')
        return E.left(`${kind} hook has a remote unit but no application`);
      return E.right(undefined);
    case 'relation-joined':
    case 'relation-departed':
      if (h.remoteUnit === '') return E.left(`${kind} hook requires a remote unit`);
      if (h.remoteApplication === '')
        return E.left(`${kind} hook has a remote unit but no application`);
      return E.right(undefined);
    default:
      return E.right(undefined);
  }
};
