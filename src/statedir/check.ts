import * as E from 'fp-ts/lib/Either.js';
import { atoi } from '../model/int64.ts';
import type { UnitName } from '../model/unitName.ts';
import { listDir, readEntry } from './entries.ts';
import { bothPending } from './errors.ts';
import { type FsPort, formatFsError } from './fsPort.ts';
import { goJoin } from './goPath.ts';
import { relationIdOutOfRange } from './read.ts';

/** One thing wrong under a state base directory, and where. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * Every problem under `base`, where ReadAllStateDirs stops at the first:
 * unreadable or invalid member files, missing versions, several pending
 * units, stray temporary files, relation directory names Go reads as another
 * id. The same reasons and texts as the readers.
 */
export const checkStateBase = (fs: FsPort, base: string): readonly Problem[] => {
  const problems: Problem[] = [];
  const listed = listDir(fs, base);
  if (E.isLeft(listed)) return [{ path: base, message: formatFsError(listed.left) }];
  if (listed.right === undefined) return [{ path: base, message: 'no such directory' }];
  for (const name of listed.right) {
    const n = atoi(name);
    if (n === undefined) continue;
    const path = goJoin(base, name);
    if (!Number.isSafeInteger(Number(n))) {
      problems.push({ path, message: relationIdOutOfRange(name) });
      continue;
    }
    if (String(n) !== name) {
      problems.push({
        path,
        message: `not a canonical relation id: read as relation ${n} (${goJoin(base, String(n))})`,
      });
      continue;
    }
    problems.push(...checkRelationDir(fs, path));
  }
  return problems;
};

export const checkRelationDir = (fs: FsPort, dir: string): Problem[] => {
  const listed = listDir(fs, dir);
  if (E.isLeft(listed)) return [{ path: dir, message: formatFsError(listed.left) }];
  const problems: Problem[] = [];
  let pending: UnitName | undefined;
  for (const name of listed.right ?? []) {
    const entry = readEntry(fs, dir, name);
    if (entry._tag === 'Problem') problems.push({ path: entry.path, message: entry.reason });
    else if (entry._tag === 'Skipped' && name.endsWith('.preparing')) {
      problems.push({
        path: entry.path,
        message: 'stray temporary file (an interrupted write; readers ignore it)',
      });
    } else if (entry._tag === 'Member' && entry.changedPending) {
      if (pending === undefined) pending = entry.unit;
      else problems.push({ path: entry.path, message: bothPending(pending, entry.unit) });
    }
  }
  return problems;
};
