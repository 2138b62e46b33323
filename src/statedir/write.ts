import * as E from 'fp-ts/lib/Either.js';
import type { HookInfo } from '../model/hook.ts';
import type { State } from '../model/state.ts';
import { unitFileName } from '../model/unitName.ts';
import { commitHook } from '../state/commit.ts';
import { type StateDirError, stateDirError, writePrefix } from './errors.ts';
import { type FsPort, formatFsError } from './fsPort.ts';
import { goMkdirAll, goRemove, isNotExist, writeFileAtomic } from './goOs.ts';
import { goJoin } from './goPath.ts';
import { encodeUnitFile } from './unitFile.ts';

// The state directory's effects, as functions from the state in memory to
// the next one: the caller keeps the returned state, so "memory changes only
// after the disk operation succeeded" holds by construction.

/** A failed operation and the state memory must hold afterwards (what the disk now says). */
export interface WriteFailure {
  readonly error: StateDirError;
  readonly state: State;
}

/** Go's Ensure: create the relation directory and its parents (0755). The error is unprefixed. */
export const ensureDir = (fs: FsPort, path: string): E.Either<StateDirError, void> => {
  const made = goMkdirAll(fs, path, 0o755);
  return E.isLeft(made) ? E.left(stateDirError(formatFsError(made.left))) : E.right(undefined);
};

/**
 * Go's Remove: remove the (empty) relation directory if it exists; members
 * become null (broken). The error is unprefixed.
 */
export const removeDir = (
  fs: FsPort,
  path: string,
  state: State,
): E.Either<WriteFailure, State> => {
  const removed = goRemove(fs, path);
  if (E.isLeft(removed) && !isNotExist(removed.left)) {
    return E.left({ error: stateDirError(formatFsError(removed.left)), state });
  }
  return E.right({ ...state, members: null });
};

/**
 * Go's Write: persist the effect of a hook that ran. No validation; writing
 * the same hook twice gives the same disk and memory as writing it once.
 */
export const writeHook = (
  fs: FsPort,
  path: string,
  state: State,
  hook: HookInfo,
): E.Either<WriteFailure, State> => {
  const prefix = writePrefix(hook.kind, hook.remoteUnit);
  const prefixed = (failure: WriteFailure): WriteFailure => ({
    error: stateDirError(prefix + failure.error.message),
    state: failure.state,
  });
  if (hook.kind === 'relation-broken') {
    const removed = removeDir(fs, path, state);
    return E.isLeft(removed) ? E.left(prefixed(removed.left)) : removed;
  }
  const file = goJoin(path, unitFileName(hook.remoteUnit));
  if (hook.kind === 'relation-departed') {
    const removed = goRemove(fs, file);
    if (E.isLeft(removed) && !isNotExist(removed.left)) {
      return E.left(prefixed({ error: stateDirError(formatFsError(removed.left)), state }));
    }
    return E.right(commitHook(state, hook));
  }
  const data = encodeUnitFile(hook.changeVersion, hook.kind === 'relation-joined');
  const written = writeFileAtomic(fs, file, data);
  if (E.isLeft(written)) {
    // Only the directory sync failed: the new file is in place, so memory
    // follows it even though the write reports the error.
    const after = written.left.renamed ? commitHook(state, hook) : state;
    return E.left(
      prefixed({ error: stateDirError(formatFsError(written.left.error)), state: after }),
    );
  }
  return E.right(commitHook(state, hook));
};
