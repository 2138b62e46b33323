import * as E from 'fp-ts/lib/Either.js';
import { parseDocument } from 'yaml';
import { type ChangeVersion, changeVersion } from '../model/changeVersion.ts';
import { goQuote } from '../model/goquote.ts';
import { atoi, isInt64 } from '../model/int64.ts';
import { isUnitName, type UnitName } from '../model/unitName.ts';

// One member file of a relation directory: how its name maps to a unit and
// what its YAML says. Pure: bytes in, values out.

/** The name does not look like a unit file: readers skip it (temp files, strays). */
export interface Ignored {
  readonly _tag: 'Ignored';
}

/** The name looks like a unit file and maps to this unit (if the name is valid). */
export interface UnitEntry {
  readonly _tag: 'UnitEntry';
  readonly name: string;
  /** prefix + "/" + suffix, whether or not it is a valid unit name. */
  readonly candidate: string;
  readonly unit: UnitName | undefined;
}

/**
 * Go's rule: split at the last "-"; if the part after it passes
 * strconv.Atoi the entry is a unit file, otherwise it is ignored.
 */
export const classifyEntry = (name: string): Ignored | UnitEntry => {
  const i = name.lastIndexOf('-');
  if (i === -1 || atoi(name.slice(i + 1)) === undefined) return { _tag: 'Ignored' };
  const candidate = `${name.slice(0, i)}/${name.slice(i + 1)}`;
  return {
    _tag: 'UnitEntry',
    name,
    candidate,
    unit: isUnitName(candidate) ? candidate : undefined,
  };
};

/** What a unit file holds. */
export interface UnitFile {
  readonly version: ChangeVersion | undefined;
  readonly changedPending: boolean;
}

/** The reason after `invalid unit file "<name>": `. */
export const invalidUnitName = (entry: UnitEntry): string =>
  `${goQuote(entry.candidate)} is not a valid unit name`;

export const VERSION_NOT_SET = '"changed-version" not set';

// Go's yaml.v1 into struct { ChangeVersion *int64; ChangedPending bool }:
// unknown keys are ignored, a value of the wrong type leaves the field unset
// (so a non-integer version reads as "not set"). Integers are kept as bigint
// so that the whole int64 range is exact; YAML 1.1 is Go's dialect.
export const parseUnitFile = (text: string): E.Either<string, UnitFile> => {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, prettyErrors: true });
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
  const version = record['change-version'];
  if (typeof version === 'bigint' && !isInt64(version)) {
    return E.left(`change-version ${version} is outside the int64 range`);
  }
  return E.right({
    version: typeof version === 'bigint' ? changeVersion(version) : undefined,
    changedPending: record['changed-pending'] === true,
  });
};

// The library's pretty message is "<text> at line L, column C:" followed by
// a code frame; an error text is one line.
const oneLine = (message: string): string => (message.split('\n')[0] ?? message).replace(/:$/, '');

/** Go's goyaml output for the struct, byte for byte. */
export const encodeUnitFile = (version: ChangeVersion, changedPending: boolean): Uint8Array =>
  new TextEncoder().encode(
    `change-version: ${version}\n${changedPending ? 'changed-pending: true\n' : ''}`,
  );
