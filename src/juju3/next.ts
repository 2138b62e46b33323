import { RESOLVER_STEPS, type ResolveInput, type RuleStep, resolveRelation } from './resolver.ts';
import {
  freshState,
  hook,
  hookOutcome,
  type LocalUnit,
  NONE,
  type Outcome,
  type Relation,
  type RemoteRelation,
} from './types.ts';

/** The rule tables one resolver is built from; mutants replace one entry. */
export interface Rules {
  readonly steps: readonly RuleStep[];
  /** J3-CREATED-FIRST: whether relation-created is due. */
  readonly createdDue: (rel: Relation, local: LocalUnit, remote: RemoteRelation) => boolean;
  /** J3-REJOIN: whether a gone relation is joined again. */
  readonly rejoins: (rel: Relation, local: LocalUnit, remote: RemoteRelation) => boolean;
  /** J3-GONE: what a gone relation (relation-broken committed) is due. */
  readonly gone: (rel: Relation, local: LocalUnit, remote: RemoteRelation) => Outcome;
  /** J3-AGENT-CREATED-FIRST, J3-AGENT-PEER-LAST: the groups of a round, in order. */
  readonly roundGroups: readonly RoundGroup[];
}

export type RoundGroup = 'created' | 'non-peer' | 'peer';

export const REFERENCE_RULES: Rules = {
  steps: RESOLVER_STEPS,
  // Only life matters: a suspended relation still gets relation-created (J3-CREATED-SUSPENDED).
  createdDue: (rel, local, remote) =>
    !rel.created && local.life === 'alive' && remote.life === 'alive',
  // The controller lets only a live unit enter the scope of a live, active relation.
  rejoins: (rel, local, remote) =>
    rel.state === null && local.life === 'alive' && remote.life === 'alive' && !remote.suspended,
  gone: () => NONE,
  roundGroups: ['created', 'non-peer', 'peer'],
};

/**
 * The relation as the agent holds it once it has looked at the snapshot
 * (Juju's SynchronizeScopes): a relation that was broken and is live again
 * starts over with a fresh state and relation-created owed (J3-REJOIN).
 */
export const synchronize = (
  rel: Relation,
  local: LocalUnit,
  remote: RemoteRelation,
  rules: Rules = REFERENCE_RULES,
): Relation =>
  rules.rejoins(rel, local, remote)
    ? { ...rel, created: false, state: freshState(rel.info.relationId) }
    : rel;

/** The relation-created resolver for one relation (consulted before the others). */
export const createdOutcome = (
  rel: Relation,
  local: LocalUnit,
  remote: RemoteRelation,
  rules: Rules = REFERENCE_RULES,
): Outcome =>
  rel.state !== null && rules.createdDue(rel, local, remote)
    ? hookOutcome(
        hook('relation-created', rel.info.relationId, { remoteApplication: rel.info.remoteApp }),
      )
    : NONE;

/** The relation resolver for one (synchronized) relation; a gone relation has nothing (J3-GONE). */
export const relationOutcome = (
  rel: Relation,
  local: LocalUnit,
  remote: RemoteRelation,
  rules: Rules = REFERENCE_RULES,
): Outcome => {
  if (rel.state === null) return rules.gone(rel, local, remote);
  const input: ResolveInput = { info: rel.info, local, state: rel.state, remote };
  return resolveRelation(input, rules.steps);
};

/**
 * `nextHook(local, remote)` for one relation: relation-created first, then
 * the relation resolver. Pure: the hook is a function of the relation and
 * the snapshot, so asking twice gives the same answer.
 */
export const nextHook = (
  rel: Relation,
  local: LocalUnit,
  remote: RemoteRelation,
  rules: Rules = REFERENCE_RULES,
): { readonly relation: Relation; readonly outcome: Outcome } => {
  const relation = synchronize(rel, local, remote, rules);
  const created = createdOutcome(relation, local, remote, rules);
  return {
    relation,
    outcome: created._tag !== 'None' ? created : relationOutcome(relation, local, remote, rules),
  };
};
