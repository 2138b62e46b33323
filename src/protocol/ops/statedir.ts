import * as E from 'fp-ts/lib/Either.js';
import { HookInfo } from '../../model/hook.ts';
import { RelationId } from '../../model/relationId.ts';
import type { State } from '../../model/state.ts';
import type { FsPort } from '../../statedir/fsPort.ts';
import { readAllStateDirs, readStateDir } from '../../statedir/read.ts';
import { ensureDir, removeDir, type WriteFailure, writeHook } from '../../statedir/write.ts';
import { defineOp, failed, type OpSpec, ok, type Reply } from '../registry.ts';
import { type DirHandle, lookupDir, type Session, withDir } from '../session.ts';
import { AbsolutePath, encodeState, HandleName } from '../wire.ts';

// The state directory ops over a file-system port (the real file system in
// `relspec serve`). A handle keeps Go's StateDir: its path and the state in
// memory; every error is the exact Go text as a domain result.

const Dir = { dir: HandleName };

// After a failed operation the handle takes the state the failure says
// memory holds (the same as before, except when the new file is already in
// place); after a success, the new state.
const settle = (
  session: Session,
  name: string,
  handle: DirHandle,
  result: E.Either<WriteFailure, State>,
): Reply =>
  E.isLeft(result)
    ? failed(
        result.left.error.message,
        withDir(session, name, { ...handle, state: result.left.state }),
      )
    : ok({}, withDir(session, name, { ...handle, state: result.right }));

export const statedirOps = (fs: FsPort): readonly OpSpec[] => [
  defineOp(
    'statedir.open',
    { ...Dir, base: AbsolutePath, relationId: RelationId },
    (session, request) => {
      const read = readStateDir(fs, request.base, request.relationId);
      if (E.isLeft(read)) return failed(read.left.message);
      return ok(
        { state: encodeState(read.right.state) },
        withDir(session, request.dir, read.right),
      );
    },
  ),
  defineOp('statedir.readAll', { base: AbsolutePath }, (_session, request) => {
    const read = readAllStateDirs(fs, request.base);
    if (E.isLeft(read)) return failed(read.left.message);
    const states = Object.fromEntries(
      [...read.right].map(([id, dir]) => [String(id), encodeState(dir.state)]),
    );
    return ok({ states });
  }),
  defineOp('statedir.state', Dir, (session, request) => {
    const handle = lookupDir(session, request.dir);
    if (E.isLeft(handle)) return handle.left;
    return ok({ state: encodeState(handle.right.state) });
  }),
  defineOp('statedir.ensure', Dir, (session, request) => {
    const handle = lookupDir(session, request.dir);
    if (E.isLeft(handle)) return handle.left;
    const made = ensureDir(fs, handle.right.path);
    return E.isLeft(made) ? failed(made.left.message) : ok({});
  }),
  defineOp('statedir.remove', Dir, (session, request) => {
    const handle = lookupDir(session, request.dir);
    if (E.isLeft(handle)) return handle.left;
    return settle(
      session,
      request.dir,
      handle.right,
      removeDir(fs, handle.right.path, handle.right.state),
    );
  }),
  defineOp('statedir.write', { ...Dir, hook: HookInfo }, (session, request) => {
    const handle = lookupDir(session, request.dir);
    if (E.isLeft(handle)) return handle.left;
    return settle(
      session,
      request.dir,
      handle.right,
      writeHook(fs, handle.right.path, handle.right.state, request.hook),
    );
  }),
];
