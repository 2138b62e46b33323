/**
 * `relspec/statedir`: Go's StateDir, the on-disk relation state, over a
 * small file-system port. `nodeFs()` is the real file system; `memFs(vol)`
 * adapts a memfs Volume (memfs is an optional peer dependency: install it
 * to use this adapter).
 */
export { checkStateBase, type Problem } from '../statedir/check.ts';
export type { StateDirError } from '../statedir/errors.ts';
export type { FsCall, FsError, FsPort } from '../statedir/fsPort.ts';
export { memFs } from '../statedir/memFs.ts';
export { nodeFs } from '../statedir/nodeFs.ts';
export { readAllStateDirs, readStateDir, relationDirPath } from '../statedir/read.ts';
export { openStateDir, type StateDir, stateDirOf } from '../statedir/stateDir.ts';
