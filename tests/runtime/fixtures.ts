import { change, type RelationUnitsChange } from '../../src/model/change.ts';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../../src/model/hook.ts';
import type { HookKind } from '../../src/model/hookKind.ts';
import { relationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { unitName } from '../../src/model/unitName.ts';

export const R = relationId(7);

export const state = (members: Record<string, number>, changedPending = ''): State => ({
  relationId: R,
  members: new Map(Object.entries(members).map(([u, v]) => [unitName(u), changeVersion(v)])),
  changedPending: changedPending === '' ? '' : unitName(changedPending),
});

export const hook = (kind: HookKind, unit = '', version = 0): HookInfo =>
  kind === 'relation-broken'
    ? brokenHook(R)
    : unitHook(kind, R, unitName(unit), changeVersion(version));

export const changes = (
  changed: Record<string, number>,
  departed: readonly string[] = [],
): RelationUnitsChange =>
  change(
    Object.entries(changed).map(([u, v]) => [unitName(u), changeVersion(v)] as const),
    departed.map(unitName),
  );
