import * as E from 'fp-ts/lib/Either.js';
import { Volume } from 'memfs';
import type { State } from '../../src/model/state.ts';
import { unitFileName } from '../../src/model/unitName.ts';
import { withCrash } from '../../src/statedir/crash.ts';
import type { FsPort } from '../../src/statedir/fsPort.ts';
import { memFs } from '../../src/statedir/memFs.ts';
import { readStateDir, relationDirPath } from '../../src/statedir/read.ts';
import { stateDirOf } from '../../src/statedir/stateDir.ts';
import { encodeUnitFile } from '../../src/statedir/unitFile.ts';
import type { Persistence } from './persistence.ts';

const BASE = '/agent/relations';

/**
 * memfs 4.80.1 miscounts a directory's children after a rename over an
 * existing file: once the directory is empty again, rmdir still fails with
 * ENOTEMPTY although readdir lists nothing (renameSync a file over another,
 * unlink it, rmdirSync the directory). Every StateDir write is such a
 * rename, so relation-broken would fail on memfs where it works on a real
 * disk. Only that case is corrected here: rmdir of a directory readdir sees
 * as empty removes it.
 */
const withMemfsRmdirFix = (volume: Volume, port: FsPort): FsPort => ({
  ...port,
  rmdir: (path) => {
    const removed = port.rmdir(path);
    if (E.isLeft(removed) && removed.left.code === 'ENOTEMPTY') {
      if (volume.readdirSync(path).length === 0) {
        volume.rmSync(path, { recursive: true, force: true });
        return E.right(undefined);
      }
    }
    return removed;
  },
});

/**
 * The relation's state kept by the real StateDir on a memfs volume. A crash
 * inside a write is the crash wrapper killing the process at the write's
 * k-th mutating file call: that call and every later one never happen, and
 * the volume keeps what was done before. A restart reads the directory back
 * with ReadStateDir.
 */
export const stateDirPersistence = (initial: State): Persistence => {
  const path = relationDirPath(BASE, initial.relationId);
  const files: Record<string, string> = {};
  for (const [unit, version] of initial.members ?? []) {
    const data = encodeUnitFile(version, unit === initial.changedPending);
    files[`${path}/${unitFileName(unit)}`] = new TextDecoder().decode(data);
  }
  const volume = Volume.fromJSON(files);
  // An empty initial state still has its directory: the relation was joined.
  volume.mkdirSync(path, { recursive: true });
  const port = withMemfsRmdirFix(volume, memFs(volume));
  let dir = stateDirOf(port, path, initial);
  return {
    writeCalls: 4,
    read: () =>
      E.map((read: { state: State }) => {
        dir = stateDirOf(port, path, read.state);
        return read.state;
      })(readStateDir(port, BASE, initial.relationId)),
    write: (hook, crashAtCall) => {
      if (crashAtCall === undefined) {
        const written = dir.write(hook);
        return E.isLeft(written)
          ? { _tag: 'Failed', message: written.left.message }
          : { _tag: 'Written', state: dir.state() };
      }
      const crashing = withCrash(port, crashAtCall + 1);
      const doomed = stateDirOf(crashing.port, path, dir.state());
      const written = doomed.write(hook);
      if (crashing.crashed()) return { _tag: 'Crashed' };
      if (E.isLeft(written)) return { _tag: 'Failed', message: written.left.message };
      dir = stateDirOf(port, path, doomed.state());
      return { _tag: 'Written', state: dir.state() };
    },
    exists: () => volume.existsSync(path),
  };
};
