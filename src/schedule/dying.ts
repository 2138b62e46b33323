import { ZERO_VERSION } from '../model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../model/hook.ts';
import type { State } from '../model/state.ts';
import { compareUnits } from '../model/unitName.ts';
import { type ListSource, listSource } from './list.ts';

/**
 * The hooks that wind a relation down from `initial`: the owed
 * relation-changed first, then every member departs in sorted name order,
 * then relation-broken.
 */
export const dyingHooks = (initial: State): readonly HookInfo[] => {
  const { relationId, members, changedPending } = initial;
  const hooks: HookInfo[] = [];
  if (changedPending !== '') {
    // Go reads a missing member's version as the map's zero value.
    const version = members?.get(changedPending) ?? ZERO_VERSION;
    hooks.push(unitHook('relation-changed', relationId, changedPending, version));
  }
  for (const unit of [...(members?.keys() ?? [])].sort(compareUnits)) {
    hooks.push(unitHook('relation-departed', relationId, unit, members?.get(unit) ?? ZERO_VERSION));
  }
  hooks.push(brokenHook(relationId));
  return hooks;
};

export const dyingSource = (initial: State): ListSource => listSource(dyingHooks(initial));
