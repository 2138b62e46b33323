/**
 * `relspec/reference`: the 2015 package as pure values. Validate, the
 * live, dying and list hook sources (immutable: every operation returns a
 * new source), the effect of a hook on the state, and the io-ts codecs and
 * constructors of the types they speak.
 */
export { change, type RelationUnitsChange as Change } from '../model/change.ts';
export { ChangeVersion, changeVersion } from '../model/changeVersion.ts';
export {
  type BrokenHook,
  brokenHook,
  HookInfo,
  hookEquals,
  type UnitHook,
  unitHook,
} from '../model/hook.ts';
export { HOOK_KINDS, HookKind } from '../model/hookKind.ts';
export { parseJson, stringifyJson } from '../model/json.ts';
export { RelationId, relationId } from '../model/relationId.ts';
export { emptyState, State, stateEquals } from '../model/state.ts';
export { UnitName, unitName } from '../model/unitName.ts';
export { dyingSource } from '../schedule/dying.ts';
export type { SourceError } from '../schedule/errors.ts';
export { type ListSource, listSource } from '../schedule/list.ts';
export { type LiveSource, liveSource } from '../schedule/live.ts';
export { empty, type HookSource, hasChanges, next, pop, update } from '../schedule/source.ts';
export { commitHook } from '../state/commit.ts';
export { type InappropriateHook, validate } from '../state/validate.ts';
