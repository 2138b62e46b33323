import * as E from 'fp-ts/lib/Either.js';
import { type FsError, type FsPort, fsError } from './fsPort.ts';
import { goDir } from './goPath.ts';

// The few Go os/utils helpers the state directory is written with, over the
// port, keeping their semantics and their error values.

/** Go's os.IsNotExist. */
export const isNotExist = (e: FsError): boolean => e.code === 'ENOENT';

/**
 * Go's os.Remove: unlink, and if that fails rmdir (so an empty directory or a
 * file both go). The error is rmdir's unless rmdir said ENOTDIR.
 */
export const goRemove = (fs: FsPort, path: string): E.Either<FsError, void> => {
  const unlinked = fs.unlink(path);
  if (E.isRight(unlinked)) return unlinked;
  const removed = fs.rmdir(path);
  if (E.isRight(removed)) return removed;
  const code = removed.left.code === 'ENOTDIR' ? unlinked.left.code : removed.left.code;
  return E.left(fsError(removed.left.call, code, path, { op: 'remove' }));
};

/** Go's os.MkdirAll: nothing to do for an existing directory, parents first. */
export const goMkdirAll = (fs: FsPort, path: string, mode: number): E.Either<FsError, void> => {
  const existing = fs.stat(path);
  if (E.isRight(existing)) {
    return existing.right.isDirectory
      ? E.right(undefined)
      : E.left(fsError('mkdir', 'ENOTDIR', path, { op: 'mkdir' }));
  }
  const parent = goDir(path);
  if (parent !== path && parent !== '.' && parent !== '/') {
    const made = goMkdirAll(fs, parent, mode);
    if (E.isLeft(made)) return made;
  }
  const made = fs.mkdir(path, mode);
  if (E.isRight(made)) return made;
  // Someone (or an earlier attempt) may have made it meanwhile.
  const after = fs.stat(path);
  return E.isRight(after) && after.right.isDirectory ? E.right(undefined) : made;
};

/** Why an atomic write failed, and whether the new content is already in place. */
export interface AtomicWriteFailure {
  readonly error: FsError;
  /** True when only the directory sync failed: the rename had taken effect. */
  readonly renamed: boolean;
}

/**
 * Juju's utils.WriteYaml made durable: write `<path>.preparing` (created or
 * truncated, mode 0644), sync it, close it, rename it over `path`, sync the
 * directory. A failure before the rename leaves the target untouched (and
 * possibly a stray temporary file, which readers ignore).
 */
export const writeFileAtomic = (
  fs: FsPort,
  path: string,
  data: Uint8Array,
): E.Either<AtomicWriteFailure, void> => {
  const fail = (error: FsError, renamed = false): E.Either<AtomicWriteFailure, void> =>
    E.left({ error, renamed });
  const prep = `${path}.preparing`;
  const opened = fs.open(prep, 0o644);
  if (E.isLeft(opened)) return fail(opened.left);
  const file = opened.right;
  const written = fs.write(file, data);
  if (E.isLeft(written)) {
    fs.close(file);
    return fail(written.left);
  }
  const synced = fs.fsync(file);
  if (E.isLeft(synced)) {
    fs.close(file);
    return fail(synced.left);
  }
  const closed = fs.close(file);
  if (E.isLeft(closed)) return fail(closed.left);
  const renamed = fs.rename(prep, path);
  if (E.isLeft(renamed)) return fail(renamed.left);
  const dirSynced = fs.syncDir(goDir(path));
  if (E.isLeft(dirSynced)) return fail(dirSynced.left, true);
  return E.right(undefined);
};
