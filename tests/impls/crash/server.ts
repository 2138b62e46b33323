import * as fs from 'node:fs';
import { createInterface } from 'node:readline';
import * as E from 'fp-ts/lib/Either.js';
import { decodeWith } from '../../../src/model/decode.ts';
import { HookInfo } from '../../../src/model/hook.ts';
import { parseJson, stringifyJson } from '../../../src/model/json.ts';
import { type RelationId, relationId } from '../../../src/model/relationId.ts';
import { State } from '../../../src/model/state.ts';
import { readAllStateDirs, readStateDir } from '../../../src/statedir/read.ts';
import { fromSyncApi } from '../../../src/statedir/syncApiFs.ts';
import { ensureDir, removeDir, writeHook } from '../../../src/statedir/write.ts';

/**
 * A protocol v1 server that answers only `hello`, `bye` and the
 * `statedir.*` ops, over src/statedir on the real file system. The crash
 * phases are tested against it, and each broken implementation of this
 * folder is this server with one wrong `write`.
 */

/** Persist `hook` for the directory at `path` holding `state`: the next state, or an error and the state memory must hold. */
export type Writer = (
  path: string,
  state: State,
  hook: HookInfo,
) => E.Either<{ readonly error: string; readonly state: State }, State>;

export const port = fromSyncApi(fs);

/** The reference's write (atomic, synced). */
export const referenceWriter: Writer = (path, state, hook) =>
  E.mapLeft((f: { error: { message: string }; state: State }) => ({
    error: f.error.message,
    state: f.state,
  }))(writeHook(port, path, state, hook));

interface Dir {
  readonly path: string;
  state: State;
}

const decodeHook = decodeWith(HookInfo);

export const serve = (name: string, writer: Writer): void => {
  const dirs = new Map<string, Dir>();
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const answer = (id: unknown, body: object) => {
    process.stdout.write(`${stringifyJson({ id, ...body })}\n`);
  };
  rl.on('line', (line) => {
    const parsed = parseJson(line);
    if (E.isLeft(parsed) || typeof parsed.right !== 'object' || parsed.right === null) {
      answer(null, { ok: false, error: 'not a JSON object' });
      return;
    }
    const req = parsed.right as Record<string, unknown>;
    const id = req.id;
    const ok = (result: object) => answer(id, { ok: true, result });
    const bad = (error: string) => answer(id, { ok: false, error });
    const dir = () => dirs.get(String(req.dir));
    const id7 = (): RelationId => relationId(Number(req.relationId));
    switch (req.op) {
      case 'hello':
        return ok({ implementation: name, protocol: 1, supports: ['statedir'] });
      case 'bye':
        ok({});
        rl.close();
        return;
      case 'statedir.open': {
        const read = readStateDir(port, String(req.base), id7());
        if (E.isLeft(read)) return ok({ error: read.left.message });
        dirs.set(String(req.dir), { path: read.right.path, state: read.right.state });
        return ok({ state: State.encode(read.right.state) });
      }
      case 'statedir.readAll': {
        const read = readAllStateDirs(port, String(req.base));
        if (E.isLeft(read)) return ok({ error: read.left.message });
        const states: Record<string, unknown> = {};
        for (const [rid, rd] of read.right) states[String(rid)] = State.encode(rd.state);
        return ok({ states });
      }
    }
    const d = dir();
    if (d === undefined) return bad(`unknown state directory ${JSON.stringify(req.dir)}`);
    switch (req.op) {
      case 'statedir.state':
        return ok({ state: State.encode(d.state) });
      case 'statedir.ensure': {
        const made = ensureDir(port, d.path);
        return ok(E.isLeft(made) ? { error: made.left.message } : {});
      }
      case 'statedir.remove': {
        const removed = removeDir(port, d.path, d.state);
        if (E.isLeft(removed)) {
          d.state = removed.left.state;
          return ok({ error: removed.left.error.message });
        }
        d.state = removed.right;
        return ok({});
      }
      case 'statedir.write': {
        const hook = decodeHook(req.hook);
        if (E.isLeft(hook)) return bad(hook.left.message);
        const written = writer(d.path, d.state, hook.right);
        if (E.isLeft(written)) {
          d.state = written.left.state;
          return ok({ error: written.left.error });
        }
        d.state = written.right;
        return ok({});
      }
      default:
        return bad(`unknown op ${JSON.stringify(req.op)}`);
    }
  });
};

/** Applies a successful write to memory, as the reference does. */
export const applied = (state: State, hook: HookInfo): State => {
  if (hook.kind === 'relation-broken') return { ...state, members: null };
  const members = new Map(state.members ?? []);
  if (hook.kind === 'relation-departed') members.delete(hook.remoteUnit);
  else members.set(hook.remoteUnit, hook.changeVersion);
  const changedPending =
    hook.kind === 'relation-joined'
      ? hook.remoteUnit
      : hook.kind === 'relation-changed'
        ? ''
        : state.changedPending;
  return { ...state, members, changedPending };
};

/**
 * A writer whose unit files are put on disk by `put(file, bytes)` (which
 * throws node's errors); departures and broken go through the reference.
 */
export const unitFileWriter =
  (put: (file: string, bytes: Uint8Array) => void): Writer =>
  (path, state, hook) => {
    if (hook.kind === 'relation-broken' || hook.kind === 'relation-departed') {
      return referenceWriter(path, state, hook);
    }
    const file = `${path}/${hook.remoteUnit.replace('/', '-')}`;
    const text = `change-version: ${hook.changeVersion}\n${hook.kind === 'relation-joined' ? 'changed-pending: true\n' : ''}`;
    try {
      put(file, new TextEncoder().encode(text));
      return E.right(applied(state, hook));
    } catch (e) {
      return E.left({ error: `failed to write ${hook.kind}: ${(e as Error).message}`, state });
    }
  };

/** fsync of a directory, as the reference does after a rename. */
export const syncDir = (dir: string): void => {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

export const writeAll = (fd: number, bytes: Uint8Array): void => {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
};
