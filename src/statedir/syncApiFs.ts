import * as E from 'fp-ts/lib/Either.js';
import { type FileHandle, type FsCall, type FsError, type FsPort, fsError } from './fsPort.ts';

/**
 * The synchronous calls of node:fs that the port needs. A memfs Volume has
 * the same methods, so one adapter serves both.
 */
export interface SyncFsApi {
  statSync(path: string): { isDirectory(): boolean; isFile(): boolean; size: number | bigint };
  readdirSync(path: string): readonly unknown[];
  readFileSync(path: string): Uint8Array | string;
  openSync(path: string, flags: string | number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  rmdirSync(path: string): void;
  mkdirSync(path: string, options: { mode: number }): unknown;
}

const codeOf = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
};

// The library throws; the port answers with values. Only the code of the
// thrown error is kept: the op and path are ours, so the text is Go's.
const attempt = <A>(
  call: FsCall,
  path: string,
  run: () => A,
  options: { readonly op?: (code: string) => string; readonly path2?: string } = {},
): E.Either<FsError, A> => {
  try {
    return E.right(run());
  } catch (e) {
    const code = codeOf(e);
    return E.left(
      fsError(call, code, path, {
        ...(options.op === undefined ? {} : { op: options.op(code) }),
        ...(options.path2 === undefined ? {} : { path2: options.path2 }),
      }),
    );
  }
};

/** The most a state directory read takes in (unit files are a few dozen bytes). */
export const READ_MAX_BYTES = 1024 * 1024;

const toBytes = (data: Uint8Array | string): Uint8Array =>
  typeof data === 'string' ? new TextEncoder().encode(data) : data;

export const fromSyncApi = (api: SyncFsApi): FsPort => ({
  stat: (path) => attempt('stat', path, () => ({ isDirectory: api.statSync(path).isDirectory() })),
  // Go opens the directory and then reads it; reading a non-directory fails
  // in the read step (readdirent), everything else in the open.
  readdir: (path) =>
    attempt('readdir', path, () => api.readdirSync(path).map((name) => String(name)), {
      op: (code) => (code === 'ENOTDIR' ? 'readdirent' : 'open'),
    }),
  readFile: (path) =>
    attempt(
      'readFile',
      path,
      () => {
        // A FIFO would block and a device never end: only regular files
        // (and directories, for Go's "is a directory") are read, up to a cap.
        const st = api.statSync(path);
        if (!st.isFile() && !st.isDirectory()) throw { code: 'ENOTREG' };
        if (Number(st.size) > READ_MAX_BYTES) throw { code: 'EFBIG' };
        return toBytes(api.readFileSync(path));
      },
      { op: (code) => (code === 'EISDIR' || code === 'EFBIG' ? 'read' : 'open') },
    ),
  open: (path, mode) =>
    attempt('open', path, (): FileHandle => ({ fd: api.openSync(path, 'w', mode), path })),
  write: (file, data) =>
    attempt('write', file.path, () => {
      let done = 0;
      while (done < data.length) done += api.writeSync(file.fd, data, done, data.length - done);
    }),
  fsync: (file) => attempt('fsync', file.path, () => api.fsyncSync(file.fd)),
  close: (file) => attempt('close', file.path, () => api.closeSync(file.fd)),
  rename: (from, to) => attempt('rename', from, () => api.renameSync(from, to), { path2: to }),
  unlink: (path) => attempt('unlink', path, () => api.unlinkSync(path)),
  rmdir: (path) => attempt('rmdir', path, () => api.rmdirSync(path)),
  mkdir: (path, mode) => attempt('mkdir', path, () => void api.mkdirSync(path, { mode })),
  syncDir: (path) =>
    attempt(
      'syncDir',
      path,
      () => {
        const fd = api.openSync(path, 'r');
        try {
          api.fsyncSync(fd);
        } finally {
          api.closeSync(fd);
        }
      },
      { op: (code) => (code === 'ENOENT' || code === 'EACCES' ? 'open' : 'sync') },
    ),
});
