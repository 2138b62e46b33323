import type { Volume } from 'memfs';
import type { FsPort } from './fsPort.ts';
import { fromSyncApi, type SyncFsApi } from './syncApiFs.ts';

/**
 * A memfs volume given by the caller (tests). Only the type is imported, so
 * memfs stays a development dependency. memfs's fsync does nothing: a volume
 * has no cache to flush.
 *
 * memfs 4.80 miscounts a directory's children when a rename replaces an
 * existing file (a later rmdir of the emptied directory says ENOTEMPTY), so
 * the adapter unlinks the old target first. The port's rename is still one
 * call, so crash and fault points see the same atomic rename as on node:fs.
 */
export const memFs = (volume: Volume): FsPort => {
  const api = volume as unknown as SyncFsApi;
  return fromSyncApi({
    ...bind(api),
    renameSync: (from, to) => {
      let replaced = false;
      try {
        replaced = !api.statSync(to).isDirectory();
      } catch {
        replaced = false;
      }
      if (replaced) api.unlinkSync(to);
      api.renameSync(from, to);
    },
  });
};

const bind = (api: SyncFsApi): SyncFsApi => ({
  statSync: (p) => api.statSync(p),
  readdirSync: (p) => api.readdirSync(p),
  readFileSync: (p) => api.readFileSync(p),
  openSync: (p, f, m) => api.openSync(p, f, m),
  writeSync: (fd, b, o, l) => api.writeSync(fd, b, o, l),
  fsyncSync: (fd) => api.fsyncSync(fd),
  closeSync: (fd) => api.closeSync(fd),
  renameSync: (a, b) => api.renameSync(a, b),
  unlinkSync: (p) => api.unlinkSync(p),
  rmdirSync: (p) => api.rmdirSync(p),
  mkdirSync: (p, o) => api.mkdirSync(p, o),
});
