import { changeVersion } from '../../../src/model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../../../src/model/hook.ts';
import type { State } from '../../../src/model/state.ts';
import { compareUnits } from '../../../src/model/unitName.ts';
import type { Off } from './rules.ts';

// Copies of the reference list and dying sources (src/schedule/list.ts,
// dying.ts) with each rule's switch point marked. The dying source remembers
// that it is one, so that its refusal of updates can be switched apart from
// the list source's.

export interface MutantList {
  readonly _tag: 'MutantList';
  readonly dying: boolean;
  readonly hooks: readonly HookInfo[];
  readonly position: number;
}

export const mutantListSource = (off: Off, hooks: readonly HookInfo[]): MutantList => ({
  _tag: 'MutantList',
  dying: false,
  hooks: off('R-LIST-ORDER') ? [...hooks].reverse() : hooks,
  position: 0,
});

export const mutantDyingHooks = (off: Off, initial: State): readonly HookInfo[] => {
  const { relationId, members, changedPending } = initial;
  if (members === null && off('R-DYING-NULL-MEMBERS')) return [];
  const hooks: HookInfo[] = [];
  if (changedPending !== '') {
    const version = members?.get(changedPending);
    if (version !== undefined || !off('R-DYING-PENDING-NOT-MEMBER')) {
      hooks.push(
        unitHook('relation-changed', relationId, changedPending, version ?? changeVersion(0)),
      );
    }
  }
  const units = [...(members?.keys() ?? [])].sort(compareUnits);
  if (off('R-DYING-ORDER')) units.reverse();
  for (const unit of units) {
    hooks.push(
      unitHook('relation-departed', relationId, unit, members?.get(unit) ?? changeVersion(0)),
    );
  }
  hooks.push(brokenHook(relationId));
  return hooks;
};

export const mutantDyingSource = (off: Off, initial: State): MutantList => ({
  _tag: 'MutantList',
  dying: true,
  hooks: mutantDyingHooks(off, initial),
  position: 0,
});

/** Whether `update` is accepted (and ignored) instead of refused. */
export const acceptsUpdates = (off: Off, s: MutantList): boolean =>
  s.dying ? off('R-DYING-NO-UPDATES') : off('R-LIST-NO-UPDATES');
