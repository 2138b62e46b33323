import * as E from 'fp-ts/lib/Either.js';
import type { FileHandle, FsCall, FsError, FsPort } from './fsPort.ts';

/**
 * A port whose every call is first shown to `before`: if it returns an
 * error, the call is not made and that error is the answer; `after` sees
 * each call that was made and its outcome. The fault, crash and recording
 * wrappers are all this.
 */
export interface Interceptor {
  readonly before?: (call: FsCall, path: string, path2?: string) => FsError | undefined;
  readonly after?: (event: CallEvent) => void;
}

export interface CallEvent {
  readonly call: FsCall;
  readonly path: string;
  readonly path2?: string;
  /** The handle, for open/write/fsync/close. */
  readonly fd?: number;
  readonly data?: Uint8Array;
  readonly ok: boolean;
}

export const intercept = (port: FsPort, hooks: Interceptor): FsPort => {
  const run = <A>(
    call: FsCall,
    path: string,
    make: () => E.Either<FsError, A>,
    extra: { readonly path2?: string; readonly fd?: number; readonly data?: Uint8Array } = {},
  ): E.Either<FsError, A> => {
    const refused = hooks.before?.(call, path, extra.path2);
    if (refused !== undefined) return E.left(refused);
    const result = make();
    const fd =
      extra.fd ??
      (call === 'open' && E.isRight(result) ? (result.right as FileHandle).fd : undefined);
    hooks.after?.({
      call,
      path,
      ...(extra.path2 === undefined ? {} : { path2: extra.path2 }),
      ...(fd === undefined ? {} : { fd }),
      ...(extra.data === undefined ? {} : { data: extra.data }),
      ok: E.isRight(result),
    });
    return result;
  };
  return {
    stat: (path) => run('stat', path, () => port.stat(path)),
    readdir: (path) => run('readdir', path, () => port.readdir(path)),
    readFile: (path) => run('readFile', path, () => port.readFile(path)),
    open: (path, mode) => run('open', path, () => port.open(path, mode)),
    write: (file, data) =>
      run('write', file.path, () => port.write(file, data), { fd: file.fd, data }),
    fsync: (file) => run('fsync', file.path, () => port.fsync(file), { fd: file.fd }),
    close: (file) => run('close', file.path, () => port.close(file), { fd: file.fd }),
    rename: (from, to) => run('rename', from, () => port.rename(from, to), { path2: to }),
    unlink: (path) => run('unlink', path, () => port.unlink(path)),
    rmdir: (path) => run('rmdir', path, () => port.rmdir(path)),
    mkdir: (path, mode) => run('mkdir', path, () => port.mkdir(path, mode)),
    syncDir: (path) => run('syncDir', path, () => port.syncDir(path)),
  };
};
