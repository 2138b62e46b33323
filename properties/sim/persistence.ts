import * as E from 'fp-ts/lib/Either.js';
import type { ChangeVersion } from '../../src/model/changeVersion.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import type { State } from '../../src/model/state.ts';
import type { UnitName } from '../../src/model/unitName.ts';

/** What a write did: the new in-memory state, a crash (inside the write), or an error. */
export type WriteResult =
  | { readonly _tag: 'Written'; readonly state: State }
  | { readonly _tag: 'Crashed' }
  | { readonly _tag: 'Failed'; readonly message: string };

/**
 * The relation's persistent state as the simulated agent uses it: StateDir
 * in the small. `read` is what a restart does (a fresh read of the disk);
 * `write` is StateDir.write; `crashAtCall` makes its k-th mutating file
 * operation (0-based) the moment the process dies.
 */
export interface Persistence {
  readonly read: () => E.Either<{ readonly message: string }, State>;
  readonly write: (hook: HookInfo, crashAtCall?: number) => WriteResult;
  /** Whether the relation directory exists. */
  readonly exists: () => boolean;
  /** The most mutating operations one write can make (the crash points inside it). */
  readonly writeCalls: number;
}

/** StateDir.write's effect on a state (behaviour.md). */
export const writeEffect = (s: State, h: HookInfo): State => {
  if (h.kind === 'relation-broken') return { ...s, members: null, changedPending: '' };
  const members = new Map<UnitName, ChangeVersion>(s.members ?? []);
  if (h.kind === 'relation-departed') {
    members.delete(h.remoteUnit);
    return { ...s, members };
  }
  members.set(h.remoteUnit, h.changeVersion);
  return {
    ...s,
    members,
    changedPending: h.kind === 'relation-joined' ? h.remoteUnit : '',
  };
};

/**
 * An in-memory disk with atomic writes: one mutating operation per write
 * (the rename over the target, or the directory's removal). A crash at call 0
 * leaves the old state, at call 1 or later the new one (the operation was
 * done, but the agent never learnt of its success).
 */
export const memoryPersistence = (initial: State): Persistence => {
  let disk: State | null = initial; // null: the directory is gone
  let memory: State = initial;
  const empty = (): State => ({
    relationId: initial.relationId,
    members: new Map(),
    changedPending: '',
  });
  return {
    writeCalls: 2,
    read: () => {
      memory = disk ?? empty();
      return E.right(memory);
    },
    write: (hook, crashAtCall) => {
      if (crashAtCall === 0) return { _tag: 'Crashed' };
      const next = writeEffect(memory, hook);
      disk = next.members === null ? null : next;
      if (crashAtCall !== undefined) return { _tag: 'Crashed' };
      memory = next;
      return { _tag: 'Written', state: next };
    },
    exists: () => disk !== null,
  };
};
