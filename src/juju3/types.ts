/**
 * The values of the juju-3 profile: what the resolver of today's Juju reads
 * (the local relation state and the remote snapshot) and what it produces
 * (one hook). Everything is immutable; versions are Go int64s as bigint.
 */

/** Life of a unit, application or relation as the resolver sees it. */
export type Life = 'alive' | 'dying';

/** Life of the local application: a dead one is possible while the unit winds down. */
export type AppLife = 'alive' | 'dying' | 'dead';

export type Versions = ReadonlyMap<string, bigint>;

/** The local unit, as the remote snapshot reports it (spec/juju-3/RULES.md J3-LOCAL-*). */
export interface LocalUnit {
  readonly life: Life;
  /** Recorded for traces; no relation hook depends on it (J3-LEADER-IGNORED). */
  readonly leader: boolean;
  readonly applicationLife: AppLife;
}

/** One relation of the remote snapshot. */
export interface RemoteRelation {
  readonly life: Life;
  readonly suspended: boolean;
  /** Remote units in scope, each with the version of its settings. */
  readonly members: Versions;
  /** Remote applications with the version of their application settings. */
  readonly applicationMembers: Versions;
}

/**
 * The persisted local state of one relation (Juju's relation.State).
 * `members` null stands for Go's nil map: only a hand-built state has it,
 * the codec never produces it.
 */
export interface RelationState {
  readonly relationId: number;
  readonly members: Versions | null;
  readonly applicationMembers: Versions;
  /** The unit owed a relation-changed after its relation-joined; "" for none. */
  readonly changedPending: string;
}

export const HOOK_KINDS = [
  'relation-created',
  'relation-joined',
  'relation-changed',
  'relation-departed',
  'relation-broken',
] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

/** Juju's hook.Info restricted to relation hooks; absent strings are "". */
export interface Hook {
  readonly kind: HookKind;
  readonly relationId: number;
  readonly remoteUnit: string;
  readonly remoteApplication: string;
  readonly changeVersion: bigint;
  readonly departingUnit: string;
}

/** What the agent knows about a relation besides its state. */
export interface RelationInfo {
  readonly relationId: number;
  readonly peer: boolean;
  readonly localUnit: string;
  readonly remoteApp: string;
}

/**
 * A relation the agent tracks: its info, whether relation-created has run
 * (in this agent process), and its state; `state` null once relation-broken
 * was committed (the relation is gone).
 */
export interface Relation {
  readonly info: RelationInfo;
  readonly created: boolean;
  readonly state: RelationState | null;
}

/** What one consultation of the resolver gives for one relation. */
export type Outcome =
  | { readonly _tag: 'Hook'; readonly hook: Hook }
  | { readonly _tag: 'None' }
  | { readonly _tag: 'Error'; readonly message: string };

export const hookOutcome = (hook: Hook): Outcome => ({ _tag: 'Hook', hook });
export const NONE: Outcome = { _tag: 'None' };
export const errorOutcome = (message: string): Outcome => ({ _tag: 'Error', message });

export const freshState = (relationId: number): RelationState => ({
  relationId,
  members: new Map(),
  applicationMembers: new Map(),
  changedPending: '',
});

export const hook = (
  kind: HookKind,
  relationId: number,
  fields: Partial<Omit<Hook, 'kind' | 'relationId'>> = {},
): Hook => ({
  kind,
  relationId,
  remoteUnit: fields.remoteUnit ?? '',
  remoteApplication: fields.remoteApplication ?? '',
  changeVersion: fields.changeVersion ?? 0n,
  departingUnit: fields.departingUnit ?? '',
});

/** Go's sort.Strings order (bytewise on UTF-8; code units agree for ASCII, and compare sorts by code point otherwise). */
export const compareGo = (a: string, b: string): number => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
};

export const sortedKeys = (...maps: readonly (Versions | null)[]): readonly string[] => {
  const names = new Set<string>();
  for (const m of maps) if (m !== null) for (const k of m.keys()) names.add(k);
  return [...names].sort(compareGo);
};
