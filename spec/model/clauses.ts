/**
 * The clause ids of spec/GUARANTEES.md, with a short title each. The ids are
 * stable: fixtures, the trace checker and the properties cite them.
 */
export const CLAUSES = {
  T1: 'a trace begins with start; start only first or right after a crash',
  T2: 'every start reads the same relation',
  T3: 'no change and no second dying after dying in a run',
  A1: 'the first change of every run is a snapshot without departures',
  A2: 'a departure names a unit present in the watcher view, once',
  A3: 'a departed unit never comes back',
  A4: 'versions only grow and are not repeated',
  G1: 'every hook carries the relation id',
  G2: 'relation-joined for U is immediately followed by relation-changed for U',
  G3a: 'relation-changed and relation-departed only for members',
  G3b: 'relation-joined only for non-members',
  G3c: 'live: departed only after leaving the watcher view, changed only while in it',
  G4a: 'nothing after relation-broken',
  G4b: 'relation-broken only with no members left',
  G4c: 'relation-broken only after the switch to dying',
  G5a: 'every hook carries the latest version the agent knew',
  G5b: 'no relation-changed repeats the version last delivered',
  G6: 'relation-joined only while the unit is in the watcher view',
  G7a: 'live: when idle, members and versions equal the watcher view',
  G7b: 'dying: when idle, relation-broken has run and been committed',
  G8a: 'live: no hook before the run has its first watcher change',
  G8b: 'live: units are served in the order their pending work began',
  G8c: 'dying: owed changed, departures in name order, then broken',
  G9a: 'every hook is committed before the next hook, dying or idle',
  G9b: 'the state read back is the committed one (or has the interrupted write applied)',
  G9c: 'Validate accepts every hook against the persisted state',
} as const;

export type ClauseId = keyof typeof CLAUSES;

export const CLAUSE_IDS: readonly ClauseId[] = Object.keys(CLAUSES) as ClauseId[];

export const isAssumption = (c: ClauseId): boolean => c.startsWith('A');
