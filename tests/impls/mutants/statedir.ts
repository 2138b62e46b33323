import * as E from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import { type ChangeVersion, changeVersion } from '../../../src/model/changeVersion.ts';
import { goQuote } from '../../../src/model/goquote.ts';
import type { HookInfo, UnitHook } from '../../../src/model/hook.ts';
import { atoi, isInt64 } from '../../../src/model/int64.ts';
import { type RelationId, relationId } from '../../../src/model/relationId.ts';
import type { State } from '../../../src/model/state.ts';
import { isUnitName, type UnitName } from '../../../src/model/unitName.ts';
import { byName, listDir } from '../../../src/statedir/entries.ts';
import {
  bothPending,
  invalidUnitFile,
  readAllPrefix,
  writePrefix,
} from '../../../src/statedir/errors.ts';
import { type FsError, type FsPort, formatFsError } from '../../../src/statedir/fsPort.ts';
import { goMkdirAll, goRemove, isNotExist, writeFileAtomic } from '../../../src/statedir/goOs.ts';
import { goJoin } from '../../../src/statedir/goPath.ts';
import { relationIdOutOfRange } from '../../../src/statedir/read.ts';
import { VERSION_NOT_SET } from '../../../src/statedir/unitFile.ts';
import type { Off } from './rules.ts';
import { mutantValidate } from './validate.ts';

// Copies of the reference state directory (src/statedir/read.ts, entries.ts,
// unitFile.ts, write.ts) over the same file-system port, with each rule's
// switch point marked. Errors are plain message strings.

export interface MutantDir {
  readonly path: string;
  readonly state: State;
}

export interface Failure {
  readonly message: string;
  readonly state: State;
}

export const mutantDirPath = (off: Off, base: string, id: RelationId): string =>
  off('R-DIR-PATH') ? goJoin(base, 'r', String(id)) : goJoin(base, String(id));

export const mutantFileName = (off: Off, unit: UnitName): string =>
  unit.replace('/', off('R-DIR-FILE-NAME') ? '_' : '-');

const fsText = (off: Off, e: FsError): string =>
  off('R-WRITE-ERRORS') && e.op === 'open' && e.path.endsWith('.preparing')
    ? formatFsError({ ...e, op: 'create' })
    : formatFsError(e);

const oneLine = (message: string): string => (message.split('\n')[0] ?? message).replace(/:$/, '');

interface UnitFile {
  readonly version: ChangeVersion | undefined;
  readonly changedPending: boolean;
}

const parseUnitFile = (off: Off, text: string): E.Either<string, UnitFile> => {
  const version = off('R-READ-YAML-DIALECT') ? '1.2' : '1.1';
  const doc = parseDocument(text, { version, intAsBigInt: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first !== undefined) return E.left(oneLine(first.message));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return E.left(oneLine((e as Error).message));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return E.right({ version: undefined, changedPending: false });
  }
  const record = value as Record<string, unknown>;
  let v = record['change-version'];
  if (v !== undefined && v !== null && typeof v !== 'bigint' && off('R-READ-VERSION-TYPE')) v = 0n;
  if (typeof v === 'bigint' && !isInt64(v)) {
    // The mutant wraps around as a 64-bit parse would.
    if (off('R-READ-VERSION-RANGE')) v = BigInt.asIntN(64, v);
    else return E.left(`change-version ${v} is outside the int64 range`);
  }
  return E.right({
    version: typeof v === 'bigint' ? changeVersion(v) : undefined,
    changedPending: record['changed-pending'] === true,
  });
};

type Entry =
  | { readonly _tag: 'Skipped' }
  | {
      readonly _tag: 'Member';
      readonly unit: UnitName;
      readonly version: ChangeVersion;
      readonly changedPending: boolean;
    }
  | { readonly _tag: 'Problem'; readonly reason: string };

const skipped: Entry = { _tag: 'Skipped' };

const readEntry = (off: Off, fs: FsPort, dir: string, name: string): Entry => {
  const i = name.lastIndexOf('-');
  if (i === -1) return skipped;
  if (atoi(name.slice(i + 1)) === undefined && !off('R-READ-IGNORED')) return skipped;
  const candidate = `${name.slice(0, i)}/${name.slice(i + 1)}`;
  const problem = (reason: string): Entry => ({ _tag: 'Problem', reason });
  if (!isUnitName(candidate)) {
    if (off('R-READ-INVALID-NAME')) return skipped;
    return problem(invalidUnitFile(name, `${goQuote(candidate)} is not a valid unit name`));
  }
  const bytes = fs.readFile(goJoin(dir, name));
  if (E.isLeft(bytes)) {
    return off('R-READ-UNREADABLE') ? skipped : problem(formatFsError(bytes.left));
  }
  const file = parseUnitFile(off, new TextDecoder().decode(bytes.right));
  if (E.isLeft(file)) {
    return off('R-READ-BAD-YAML') ? skipped : problem(invalidUnitFile(name, file.left));
  }
  let version = file.right.version;
  if (version === undefined) {
    if (!off('R-READ-NO-VERSION')) return problem(invalidUnitFile(name, VERSION_NOT_SET));
    version = changeVersion(0);
  }
  return {
    _tag: 'Member',
    unit: candidate,
    version,
    changedPending: file.right.changedPending && !off('R-READ-UNIT'),
  };
};

export const mutantReadStateDir = (
  off: Off,
  fs: FsPort,
  base: string,
  id: RelationId,
): E.Either<string, MutantDir> => {
  const path = mutantDirPath(off, base, id);
  const prefix = off('R-READ-PREFIX')
    ? `cannot load relation state from ${path}: `
    : `cannot load relation state from ${goQuote(path)}: `;
  const fail = (reason: string) => E.left(prefix + reason);
  let listed = listDir(fs, path);
  if (E.isLeft(listed) && off('R-READ-STAT-ERROR')) listed = E.right(undefined);
  if (E.isLeft(listed)) return fail(formatFsError(listed.left));
  if (listed.right === undefined && off('R-READ-MISSING')) goMkdirAll(fs, path, 0o755);
  const names = [...(listed.right ?? [])];
  if (off('R-READ-ORDER')) names.sort(byName).reverse();
  const members = new Map<UnitName, ChangeVersion>();
  let changedPending: UnitName | '' = '';
  for (const name of names) {
    const entry = readEntry(off, fs, path, name);
    if (entry._tag === 'Skipped') continue;
    if (entry._tag === 'Problem') return fail(entry.reason);
    members.set(entry.unit, entry.version);
    if (entry.changedPending) {
      if (changedPending !== '' && !off('R-READ-BOTH-PENDING')) {
        return fail(bothPending(changedPending, entry.unit));
      }
      changedPending = entry.unit;
    }
  }
  return E.right({ path, state: { relationId: id, members, changedPending } });
};

export const mutantReadAllStateDirs = (
  off: Off,
  fs: FsPort,
  base: string,
): E.Either<string, ReadonlyMap<RelationId, MutantDir>> => {
  const prefix = off('R-READ-ALL-PREFIX') ? '' : readAllPrefix(base);
  const listed = listDir(fs, base);
  if (E.isLeft(listed)) return E.left(prefix + formatFsError(listed.left));
  if (listed.right === undefined && off('R-READ-ALL-MISSING')) {
    return E.left(`${prefix}stat ${base}: no such file or directory`);
  }
  const found = new Map<RelationId, MutantDir>();
  for (const name of listed.right ?? []) {
    if (off('R-READ-ALL-ATOI-QUIRK') && !/^(0|-?[1-9][0-9]*)$/.test(name)) continue;
    const n = atoi(name);
    if (n === undefined) continue;
    if (n < 0n && off('R-READ-ALL-ENTRIES')) continue;
    if (!Number.isSafeInteger(Number(n))) {
      if (off('R-READ-ALL-ID-RANGE')) continue;
      return E.left(prefix + relationIdOutOfRange(name));
    }
    const dir = mutantReadStateDir(off, fs, base, relationId(Number(n)));
    if (E.isLeft(dir)) return E.left(prefix + dir.left);
    found.set(dir.right.state.relationId, dir.right);
  }
  return E.right(new Map([...found].sort(([a], [b]) => a - b)));
};

export const mutantEnsure = (off: Off, fs: FsPort, path: string): string | undefined => {
  if (off('R-DIR-ENSURE')) return undefined;
  const made = goMkdirAll(fs, path, 0o755);
  return E.isLeft(made) ? formatFsError(made.left) : undefined;
};

/** Remove every entry of a directory (the R-DIR-REMOVE mutant only). */
const emptyOut = (fs: FsPort, path: string): void => {
  const names = fs.readdir(path);
  if (E.isRight(names)) for (const name of names.right) fs.unlink(goJoin(path, name));
};

export const mutantRemove = (
  off: Off,
  fs: FsPort,
  path: string,
  state: State,
): E.Either<Failure, State> => {
  if (off('R-DIR-REMOVE')) emptyOut(fs, path);
  const removed = goRemove(fs, path);
  if (E.isLeft(removed) && !isNotExist(removed.left)) {
    return E.left({ message: formatFsError(removed.left), state });
  }
  return E.right({ ...state, members: null });
};

const withMember = (off: Off, state: State, hook: UnitHook): State => {
  if (state.members === null && off('R-WRITE-AFTER-BROKEN')) return state;
  const members = new Map(state.members ?? []);
  members.set(hook.remoteUnit, hook.changeVersion);
  const pending =
    hook.kind === 'relation-joined'
      ? hook.remoteUnit
      : off('R-WRITE-CHANGED')
        ? state.changedPending
        : '';
  return { ...state, members, changedPending: pending };
};

const unitFileText = (off: Off, version: ChangeVersion, pending: boolean): string =>
  `change-version: ${version}\n${
    pending ? 'changed-pending: true\n' : off('R-DIR-FORMAT') ? 'changed-pending: false\n' : ''
  }`;

export const mutantWrite = (
  off: Off,
  fs: FsPort,
  path: string,
  state: State,
  hook: HookInfo,
): E.Either<Failure, State> => {
  const prefix = off('R-WRITE-PREFIX') ? '' : writePrefix(hook.kind, hook.remoteUnit);
  const fail = (message: string, after: State = state): E.Either<Failure, State> =>
    E.left({ message: prefix + message, state: off('R-WRITE-MEMORY-AFTER-DISK') ? next() : after });
  const next = (): State => {
    if (hook.kind === 'relation-broken') return { ...state, members: null };
    if (hook.kind === 'relation-departed') {
      if (state.members === null) return state;
      const members = new Map(state.members);
      members.delete(hook.remoteUnit);
      return { ...state, members };
    }
    return withMember(off, state, hook);
  };
  if (off('R-WRITE-NO-VALIDATE')) {
    const refused = mutantValidate(() => false, state, hook);
    if (refused !== undefined) return fail(refused);
  }
  if (hook.kind === 'relation-broken') {
    if (off('R-WRITE-BROKEN')) return E.right(next());
    const removed = mutantRemove(off, fs, path, state);
    return E.isLeft(removed) ? fail(removed.left.message) : removed;
  }
  const file = goJoin(path, mutantFileName(off, hook.remoteUnit));
  if (hook.kind === 'relation-departed') {
    if (off('R-WRITE-DEPARTED')) return E.right(next());
    const removed = goRemove(fs, file);
    if (E.isLeft(removed) && (!isNotExist(removed.left) || off('R-WRITE-DEPARTED-MISSING'))) {
      return fail(formatFsError(removed.left));
    }
    return E.right(next());
  }
  if (off('R-WRITE-NO-ENSURE')) goMkdirAll(fs, path, 0o755);
  const stale = state.members?.get(hook.remoteUnit);
  const onDisk =
    off('R-WRITE-ROUND-TRIP') && hook.kind === 'relation-changed' && stale !== undefined
      ? stale
      : hook.changeVersion;
  const pending = hook.kind === 'relation-joined' && !off('R-WRITE-JOINED');
  const data = new TextEncoder().encode(unitFileText(off, onDisk, pending));
  const written = writeFileAtomic(fs, file, data);
  if (E.isLeft(written)) {
    return fail(fsText(off, written.left.error), written.left.renamed ? next() : state);
  }
  return E.right(next());
};
