import * as E from 'fp-ts/lib/Either.js';
import type { HookInfo } from '../model/hook.ts';
import type { RelationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import type { StateDirError } from './errors.ts';
import type { FsPort } from './fsPort.ts';
import { readStateDir } from './read.ts';
import { ensureDir, removeDir, writeHook } from './write.ts';

/**
 * Go's *StateDir: one relation directory and the state it holds. The only
 * mutable thing is the current state, replaced as a whole after each
 * operation (by the state the operation says memory must hold).
 */
export interface StateDir {
  readonly path: string;
  state(): State;
  ensure(): E.Either<StateDirError, void>;
  remove(): E.Either<StateDirError, void>;
  write(hook: HookInfo): E.Either<StateDirError, void>;
}

export const stateDirOf = (fs: FsPort, path: string, initial: State): StateDir => {
  let current = initial;
  const settle = (result: E.Either<{ error: StateDirError; state: State }, State>) => {
    if (E.isLeft(result)) {
      current = result.left.state;
      return E.left(result.left.error);
    }
    current = result.right;
    return E.right(undefined);
  };
  return {
    path,
    state: () => current,
    ensure: () => ensureDir(fs, path),
    remove: () => settle(removeDir(fs, path, current)),
    write: (hook) => settle(writeHook(fs, path, current, hook)),
  };
};

/** ReadStateDir returning the Go-shaped object. */
export const openStateDir = (
  fs: FsPort,
  base: string,
  id: RelationId,
): E.Either<StateDirError, StateDir> =>
  E.map((dir: { path: string; state: State }) => stateDirOf(fs, dir.path, dir.state))(
    readStateDir(fs, base, id),
  );
