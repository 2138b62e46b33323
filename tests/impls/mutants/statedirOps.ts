import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { HookInfo } from '../../../src/model/hook.ts';
import { stringifyJson } from '../../../src/model/json.ts';
import { RelationId } from '../../../src/model/relationId.ts';
import { emptyState, type State } from '../../../src/model/state.ts';
import {
  type DirHandle,
  defineOp,
  encodeState,
  failed,
  HandleName,
  lookupDir,
  type OpSpec,
  ok,
  type Reply,
  type Session,
  withDir,
} from '../../../src/protocol/index.ts';
import type { FsPort } from '../../../src/statedir/fsPort.ts';
import { goDir, goJoin } from '../../../src/statedir/goPath.ts';
import type { Off } from './rules.ts';
import {
  type Failure,
  mutantDirPath,
  mutantEnsure,
  mutantReadAllStateDirs,
  mutantReadStateDir,
  mutantRemove,
  mutantWrite,
} from './statedir.ts';

// The statedir ops of a mutant, shaped like src/protocol/ops/statedir.ts.
// A handle also remembers its last write (for the R-WRITE-IDEMPOTENT mutant).

type Handle = DirHandle & { readonly last?: string };

const Dir = { dir: HandleName };

export const mutantStatedirOps = (off: Off, fs: FsPort): readonly OpSpec[] => {
  const settle = (
    session: Session,
    name: string,
    handle: Handle,
    result: E.Either<Failure, State>,
    last?: string,
  ): Reply => {
    const kept = (state: State): Handle =>
      last === undefined ? { ...handle, state } : { ...handle, state, last };
    return E.isLeft(result)
      ? failed(result.left.message, withDir(session, name, kept(result.left.state)))
      : ok({}, withDir(session, name, kept(result.right)));
  };
  return [
    defineOp(
      'statedir.open',
      { ...Dir, base: t.string, relationId: RelationId },
      (session, request) => {
        const read = mutantReadStateDir(off, fs, request.base, request.relationId);
        if (E.isLeft(read)) {
          if (!off('R-DIR-PROTOCOL')) return failed(read.left);
          const path = mutantDirPath(off, request.base, request.relationId);
          const handle = { path, state: emptyState(request.relationId) };
          return failed(read.left, withDir(session, request.dir, handle));
        }
        return ok(
          { state: encodeState(read.right.state) },
          withDir(session, request.dir, read.right),
        );
      },
    ),
    defineOp('statedir.readAll', { base: t.string }, (_session, request) => {
      const read = mutantReadAllStateDirs(off, fs, request.base);
      if (E.isLeft(read)) return failed(read.left);
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
      const error = mutantEnsure(off, fs, handle.right.path);
      return error === undefined ? ok({}) : failed(error);
    }),
    defineOp('statedir.remove', Dir, (session, request) => {
      const handle = lookupDir(session, request.dir);
      if (E.isLeft(handle)) return handle.left;
      const removed = mutantRemove(off, fs, handle.right.path, handle.right.state);
      return settle(session, request.dir, handle.right, removed);
    }),
    defineOp('statedir.write', { ...Dir, hook: HookInfo }, (session, request) => {
      const handle = lookupDir(session, request.dir);
      if (E.isLeft(handle)) return handle.left;
      const h = handle.right as Handle;
      const key = stringifyJson(HookInfo.encode(request.hook));
      if (off('R-WRITE-IDEMPOTENT') && h.last === key) {
        return failed(`hook ${key} already written`);
      }
      if (off('R-DIR-CONFINED')) {
        const marker = goJoin(goDir(h.path), 'last-hook');
        const file = fs.open(marker, 0o644);
        if (E.isRight(file)) {
          fs.write(file.right, new TextEncoder().encode(key));
          fs.close(file.right);
        }
      }
      const written = mutantWrite(off, fs, h.path, h.state, request.hook);
      return settle(session, request.dir, h, written, key);
    }),
  ];
};
