/** The clause ids of spec/juju-3/GUARANTEES.md, with their one-line titles. */
export const JUJU3_CLAUSES = {
  JT1: 'hooks and commits only for relations opened or restored in this run',
  JT2: 'after a restart, relations are restored before they are used',
  J1: 'every hook carries its relation id and the right remote application',
  J2: 'after relation-joined for U, the next hook of the relation is relation-changed for U',
  J3a: 'unit relation-changed and relation-departed only for members',
  J3b: 'relation-joined only for units that are not members',
  J4a: 'nothing after relation-broken but a new relation-created once the relation is live again',
  J4b: 'relation-broken only when no members are left',
  J4c: 'relation-broken only when the unit or relation is dying or the relation is suspended',
  J4d: 'never relation-broken for a peer relation',
  J5: 'relation-departed only for a unit gone from the snapshot, with the right departing unit',
  J6: 'relation-joined and relation-changed only for what the snapshot shows differently',
  J7: 'every hook carries the version the rule says',
  J8: 'within a relation, the hook is the first one due, in class and name order',
  J9: 'relation-created first: before any other hook of a live relation, once per join',
  J10: 'across relations: relation-created before anything else, non-peer before peer',
  J11a: 'every hook is committed, unchanged, before the next hook, a restart or idle',
  J11b: 'the state read back after a restart is the committed one (or it plus the uncommitted hook)',
  J12: 'idle only when nothing is due for any relation of the snapshot',
} as const;

export type Juju3ClauseId = keyof typeof JUJU3_CLAUSES;
