import * as E from 'fp-ts/lib/Either.js';
import type { Hook, Relation, RelationState } from './types.ts';

const withKey = (m: ReadonlyMap<string, bigint>, k: string, v: bigint) => new Map(m).set(k, v);

const withoutKey = (m: ReadonlyMap<string, bigint>, k: string) => {
  const out = new Map(m);
  out.delete(k);
  return out;
};

/**
 * The state after a hook ran (Juju's UpdateStateForHook): it does not
 * validate, and applying the same hook twice gives the state applying it once.
 * relation-broken is not handled here: it removes the whole state (J3-COMMIT-BROKEN).
 */
export const updateState = (s: RelationState, h: Hook): RelationState => {
  const members = s.members ?? new Map<string, bigint>();
  const isApp = h.remoteUnit === '';
  if (h.kind === 'relation-departed') {
    // J3-COMMIT-DEPARTED: the member goes, the pending unit stays as it was.
    return isApp
      ? { ...s, applicationMembers: withoutKey(s.applicationMembers, h.remoteApplication) }
      : { ...s, members: withoutKey(members, h.remoteUnit) };
  }
  // J3-COMMIT-APP / J3-COMMIT-UNIT; J3-COMMIT-PENDING for the pending unit.
  return isApp
    ? {
        ...s,
        applicationMembers: withKey(s.applicationMembers, h.remoteApplication, h.changeVersion),
        changedPending: '',
      }
    : {
        ...s,
        members: withKey(members, h.remoteUnit, h.changeVersion),
        changedPending: h.kind === 'relation-joined' ? h.remoteUnit : '',
      };
};

/** What refuses a commit (relspec hardening J3-H-COMMIT-RELATION). */
export const commitRelationMismatch = (rel: Relation, h: Hook): string | undefined =>
  h.relationId === rel.info.relationId
    ? undefined
    : `hook for relation ${h.relationId} committed to relation ${rel.info.relationId}`;

/** `commit(local, hook)`: the relation after a hook ran and its state was saved. */
export const commit = (rel: Relation, h: Hook): E.Either<string, Relation> => {
  const mismatch = commitRelationMismatch(rel, h);
  if (mismatch !== undefined) return E.left(mismatch);
  // J3-COMMIT-GONE: nothing is left to record.
  if (rel.state === null) return E.right(rel);
  if (h.kind === 'relation-broken') return E.right({ ...rel, created: false, state: null });
  return E.right({
    ...rel,
    // J3-COMMIT-CREATED
    created: rel.created || h.kind === 'relation-created',
    state: updateState(rel.state, h),
  });
};
