import * as E from 'fp-ts/lib/Either.js';
import type { ChangeVersion } from '../model/changeVersion.ts';
import { goQuote } from '../model/goquote.ts';
import { atoi } from '../model/int64.ts';
import { type RelationId, relationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import type { UnitName } from '../model/unitName.ts';
import { listDir, readEntry } from './entries.ts';
import {
  bothPending,
  readAllPrefix,
  readPrefix,
  type StateDirError,
  stateDirError,
} from './errors.ts';
import { type FsPort, formatFsError } from './fsPort.ts';
import { goJoin } from './goPath.ts';

/** A relation directory: where it lives and what it holds (Go's StateDir value). */
export interface RelationDir {
  readonly path: string;
  readonly state: State;
}

/** `base/<id>`, cleaned like Go's filepath.Join. */
export const relationDirPath = (base: string, id: RelationId): string => goJoin(base, String(id));

/**
 * Go's ReadStateDir: the state of relation `id` under `base`. A missing
 * directory is an empty state and nothing is created.
 */
export const readStateDir = (
  fs: FsPort,
  base: string,
  id: RelationId,
): E.Either<StateDirError, RelationDir> => {
  const path = relationDirPath(base, id);
  const fail = (reason: string) => E.left(stateDirError(readPrefix(path) + reason));
  const listed = listDir(fs, path);
  if (E.isLeft(listed)) return fail(formatFsError(listed.left));
  const members = new Map<UnitName, ChangeVersion>();
  let changedPending: UnitName | '' = '';
  for (const name of listed.right ?? []) {
    const entry = readEntry(fs, path, name);
    if (entry._tag === 'Skipped') continue;
    if (entry._tag === 'Problem') return fail(entry.reason);
    members.set(entry.unit, entry.version);
    if (entry.changedPending) {
      if (changedPending !== '') return fail(bothPending(changedPending, entry.unit));
      changedPending = entry.unit;
    }
  }
  return E.right({ path, state: { relationId: id, members, changedPending } });
};

/** Why an integer-named entry cannot be a relation id here (relspec: ids are safe integers). */
export const relationIdOutOfRange = (name: string): string =>
  `relation directory ${goQuote(name)}: id is outside the supported range`;

/**
 * Go's ReadAllStateDirs: every relation under `base`, by id. Entries whose
 * whole name passes strconv.Atoi are relations (so "+7" and "007" read
 * `base/7`); everything else is ignored. A missing base has no relations.
 */
export const readAllStateDirs = (
  fs: FsPort,
  base: string,
): E.Either<StateDirError, ReadonlyMap<RelationId, RelationDir>> => {
  const fail = (reason: string) => E.left(stateDirError(readAllPrefix(base) + reason));
  const listed = listDir(fs, base);
  if (E.isLeft(listed)) return fail(formatFsError(listed.left));
  const found = new Map<RelationId, RelationDir>();
  for (const name of listed.right ?? []) {
    const n = atoi(name);
    if (n === undefined) continue;
    if (!Number.isSafeInteger(Number(n))) return fail(relationIdOutOfRange(name));
    const dir = readStateDir(fs, base, relationId(Number(n)));
    if (E.isLeft(dir)) return fail(dir.left.message);
    found.set(dir.right.state.relationId, dir.right);
  }
  return E.right(new Map([...found].sort(([a], [b]) => a - b)));
};
