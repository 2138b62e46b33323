import * as E from 'fp-ts/lib/Either.js';
import type { ChangeVersion } from '../model/changeVersion.ts';
import type { UnitName } from '../model/unitName.ts';
import { invalidUnitFile } from './errors.ts';
import { type FsError, type FsPort, formatFsError } from './fsPort.ts';
import { isNotExist } from './goOs.ts';
import { goJoin } from './goPath.ts';
import { classifyEntry, invalidUnitName, parseUnitFile, VERSION_NOT_SET } from './unitFile.ts';

// The walk over one relation directory that both ReadStateDir (stops at the
// first problem) and `statedir check` (reports them all) are made of.

export type EntryResult =
  | { readonly _tag: 'Skipped'; readonly name: string; readonly path: string }
  | {
      readonly _tag: 'Member';
      readonly name: string;
      readonly path: string;
      readonly unit: UnitName;
      readonly version: ChangeVersion;
      readonly changedPending: boolean;
    }
  | {
      readonly _tag: 'Problem';
      readonly name: string;
      readonly path: string;
      /** The text after ReadStateDir's prefix. */
      readonly reason: string;
    };

/** Go's ioutil.ReadDir order: bytewise by name. */
export const byName = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * The directory's entry names in name order, or `undefined` when it does not
 * exist (Go's os.Stat + os.IsNotExist); any other stat or read error is kept.
 */
export const listDir = (
  fs: FsPort,
  dir: string,
): E.Either<FsError, readonly string[] | undefined> => {
  const stat = fs.stat(dir);
  if (E.isLeft(stat)) return isNotExist(stat.left) ? E.right(undefined) : stat;
  return E.map((names: readonly string[]) => [...names].sort(byName))(fs.readdir(dir));
};

/** Reads one entry lazily, so that a reader stopping early makes no further calls. */
export const readEntry = (fs: FsPort, dir: string, name: string): EntryResult => {
  const path = goJoin(dir, name);
  const entry = classifyEntry(name);
  if (entry._tag === 'Ignored') return { _tag: 'Skipped', name, path };
  const problem = (reason: string): EntryResult => ({ _tag: 'Problem', name, path, reason });
  if (entry.unit === undefined) return problem(invalidUnitFile(name, invalidUnitName(entry)));
  const bytes = fs.readFile(path);
  if (E.isLeft(bytes)) return problem(formatFsError(bytes.left));
  const file = parseUnitFile(new TextDecoder().decode(bytes.right));
  if (E.isLeft(file)) return problem(invalidUnitFile(name, file.left));
  if (file.right.version === undefined) return problem(invalidUnitFile(name, VERSION_NOT_SET));
  return {
    _tag: 'Member',
    name,
    path,
    unit: entry.unit,
    version: file.right.version,
    changedPending: file.right.changedPending,
  };
};
