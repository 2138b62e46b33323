import type * as E from 'fp-ts/lib/Either.js';
import { goErrnoText } from './errno.ts';

/**
 * The file-system calls a state directory makes, and nothing more. The
 * caller gives an implementation (node:fs, a memfs volume, the power-cut
 * image, or a wrapper that injects faults or crashes), so StateDir never
 * touches a file system of its own choosing. Calls are synchronous and
 * return errors as values.
 */
export type FsCall =
  | 'stat'
  | 'readdir'
  | 'readFile'
  | 'open'
  | 'write'
  | 'fsync'
  | 'close'
  | 'rename'
  | 'unlink'
  | 'rmdir'
  | 'mkdir'
  | 'syncDir';

/** The calls that change what is on the volume (the crash points). */
export const MUTATING_CALLS: ReadonlySet<FsCall> = new Set<FsCall>([
  'open',
  'write',
  'rename',
  'unlink',
  'rmdir',
  'mkdir',
]);

/** A failed call: Go's *PathError (or *LinkError when `path2` is set). */
export interface FsError {
  readonly _tag: 'FsError';
  readonly call: FsCall;
  /** The operation word Go prints: `open`, `read`, `sync`, `remove`... */
  readonly op: string;
  readonly path: string;
  readonly path2?: string;
  /** Node's error code (ENOENT, EIO...). */
  readonly code: string;
}

/** The operation word Go prints for each call when nothing more precise is known. */
export const GO_OP: Readonly<Record<FsCall, string>> = {
  stat: 'stat',
  readdir: 'open',
  readFile: 'read',
  open: 'open',
  write: 'write',
  fsync: 'sync',
  close: 'close',
  rename: 'rename',
  unlink: 'unlink',
  rmdir: 'rmdir',
  mkdir: 'mkdir',
  syncDir: 'sync',
};

export const fsError = (
  call: FsCall,
  code: string,
  path: string,
  options: { readonly op?: string; readonly path2?: string } = {},
): FsError => ({
  _tag: 'FsError',
  call,
  op: options.op ?? GO_OP[call],
  path,
  ...(options.path2 === undefined ? {} : { path2: options.path2 }),
  code,
});

/** Go's text: `<op> <path>: <errno text>` (`rename <old> <new>: ...` for a rename). */
export const formatFsError = (e: FsError): string =>
  `${e.op} ${e.path}${e.path2 === undefined ? '' : ` ${e.path2}`}: ${goErrnoText(e.code)}`;

/** A file opened for writing; the path is kept so that errors can name it. */
export interface FileHandle {
  readonly fd: number;
  readonly path: string;
}

export interface FsPort {
  /** Follows symbolic links, like Go's os.Stat. */
  stat(path: string): E.Either<FsError, { readonly isDirectory: boolean }>;
  /** Entry names, in no particular order. */
  readdir(path: string): E.Either<FsError, readonly string[]>;
  readFile(path: string): E.Either<FsError, Uint8Array>;
  /** O_WRONLY | O_CREAT | O_TRUNC with the given mode. */
  open(path: string, mode: number): E.Either<FsError, FileHandle>;
  /** Writes all of `data` at the current position. */
  write(file: FileHandle, data: Uint8Array): E.Either<FsError, void>;
  fsync(file: FileHandle): E.Either<FsError, void>;
  close(file: FileHandle): E.Either<FsError, void>;
  rename(from: string, to: string): E.Either<FsError, void>;
  unlink(path: string): E.Either<FsError, void>;
  rmdir(path: string): E.Either<FsError, void>;
  /** One directory, not its parents. */
  mkdir(path: string, mode: number): E.Either<FsError, void>;
  /** Makes the directory's entries (creations, renames, removals) durable. */
  syncDir(path: string): E.Either<FsError, void>;
}
