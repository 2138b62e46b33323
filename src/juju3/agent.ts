import {
  createdOutcome,
  REFERENCE_RULES,
  type Rules,
  relationOutcome,
  synchronize,
} from './next.ts';
import type { LocalUnit, Outcome, Relation, RemoteRelation } from './types.ts';

/** One relation's answer in a round over several relations. */
export interface Candidate {
  readonly rel: string;
  readonly outcome: Outcome;
}

/**
 * A round of the uniter over every relation of the snapshot. Juju walks the
 * relations in Go map order, so any relation of the first non-empty group
 * may be the one that answers (J3-AGENT-MAP-ORDER): the relation-created
 * group (J3-AGENT-CREATED-FIRST), then non-peer relations, then peer ones
 * (J3-AGENT-PEER-LAST). `allowed` is that group; empty means no hook.
 */
export interface Round {
  readonly relations: ReadonlyMap<string, Relation>;
  readonly allowed: readonly Candidate[];
}

export const agentRound = (
  relations: ReadonlyMap<string, Relation>,
  local: LocalUnit,
  remotes: ReadonlyMap<string, RemoteRelation>,
  rules: Rules = REFERENCE_RULES,
): Round => {
  const synced = new Map(relations);
  for (const [name, remote] of remotes) {
    const rel = relations.get(name);
    if (rel !== undefined) synced.set(name, synchronize(rel, local, remote, rules));
  }
  const inSnapshot = [...remotes].flatMap(([name, remote]) => {
    const rel = synced.get(name);
    return rel === undefined ? [] : [{ name, rel, remote }];
  });
  const group = (
    pick: (x: (typeof inSnapshot)[number]) => boolean,
    ask: (rel: Relation, remote: RemoteRelation) => Outcome,
  ): Candidate[] =>
    inSnapshot
      .filter(pick)
      .map(({ name, rel, remote }) => ({ rel: name, outcome: ask(rel, remote) }))
      .filter((c) => c.outcome._tag !== 'None');
  const ask = (rel: Relation, remote: RemoteRelation): Outcome => {
    // Without a relation-created group each relation asks both resolvers itself.
    if (rules.roundGroups.includes('created')) return relationOutcome(rel, local, remote, rules);
    const created = createdOutcome(rel, local, remote, rules);
    return created._tag !== 'None' ? created : relationOutcome(rel, local, remote, rules);
  };
  const groups = rules.roundGroups.map((g) =>
    g === 'created'
      ? group(
          () => true,
          (rel, remote) => createdOutcome(rel, local, remote, rules),
        )
      : group((x) => x.rel.info.peer === (g === 'peer'), ask),
  );
  const allowed = groups.find((g) => g.length > 0) ?? [];
  return { relations: synced, allowed };
};

/** The reference's pick among the allowed: the lowest relation id, then handle name. */
export const referencePick = (round: Round): Candidate | undefined =>
  [...round.allowed].sort((a, b) => {
    const x = round.relations.get(a.rel)?.info.relationId ?? 0;
    const y = round.relations.get(b.rel)?.info.relationId ?? 0;
    return x - y || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
  })[0];
