import * as t from 'io-ts';
import { ChangeVersion } from './changeVersion.ts';
import { readonlyMapFromRecord } from './readonlyMap.ts';
import { RelationId } from './relationId.ts';
import { UnitName } from './unitName.ts';

/**
 * What the local unit has been told about one relation: the version of the
 * last hook delivered per member (null once the relation is broken), and the
 * unit whose relation-changed must come next after its relation-joined.
 */
export interface State {
  readonly relationId: RelationId;
  readonly members: ReadonlyMap<UnitName, ChangeVersion> | null;
  readonly changedPending: UnitName | '';
}

export interface StateJson {
  readonly relationId: number;
  readonly members: Record<string, bigint> | null;
  readonly changedPending: string;
}

export const Members = readonlyMapFromRecord(UnitName, ChangeVersion, 'Members');

const StateC = t.type(
  {
    relationId: RelationId,
    members: t.union([Members, t.null]),
    changedPending: t.union([t.literal(''), UnitName]),
  },
  'State',
);

export const State: t.Type<State, StateJson, unknown> = StateC;

export const emptyState = (relationId: RelationId): State => ({
  relationId,
  members: new Map(),
  changedPending: '',
});

export const stateEquals = (a: State, b: State): boolean => {
  if (a.relationId !== b.relationId || a.changedPending !== b.changedPending) return false;
  if (a.members === null || b.members === null) return a.members === b.members;
  if (a.members.size !== b.members.size) return false;
  for (const [unit, version] of a.members) if (b.members.get(unit) !== version) return false;
  return true;
};
