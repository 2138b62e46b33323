import type { HookInfo } from '../model/hook.ts';
import type { State } from '../model/state.ts';

/**
 * What a hook does to the state once StateDir.write has persisted it: broken
 * makes members null, departed drops the member, joined and changed record
 * the version, and only joined leaves a relation-changed owed. Departed and
 * broken leave changedPending as it was, as Go's Write does.
 */
export const commitHook = (state: State, hook: HookInfo): State => {
  if (hook.kind === 'relation-broken') return { ...state, members: null };
  if (hook.kind === 'relation-departed') {
    if (state.members === null) return state;
    const members = new Map(state.members);
    members.delete(hook.remoteUnit);
    return { ...state, members };
  }
  // Go assigned into a nil map here and panicked; relspec lets the write
  // revive the members so that memory keeps matching the disk.
  const members = new Map(state.members ?? []);
  members.set(hook.remoteUnit, hook.changeVersion);
  return {
    ...state,
    members,
    changedPending: hook.kind === 'relation-joined' ? hook.remoteUnit : '',
  };
};
