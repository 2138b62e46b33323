import * as E from 'fp-ts/lib/Either.js';
import { type Document, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
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

/**
 * The largest unit file read. Juju writes a few dozen bytes; a YAML parser
 * fed megabytes of flow collections takes seconds, so more is refused (a
 * hardening: Go would read it).
 */
export const UNIT_FILE_MAX_BYTES = 4096;

/** Deeper nesting than this is refused before parsing (the parser recurses per level). */
const MAX_DEPTH = 64;

/** How deeply flow collections nest, counted from the bracket characters alone. */
const flowDepth = (text: string): number => {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth -= 1;
  }
  return max;
};

const MERGE_DEPTH = 8;

/**
 * The scalar values of the top-level keys, with YAML 1.1 merge keys (`<<`)
 * applied, reading aliases one node at a time: the document is never
 * expanded as a whole, so an alias bomb costs nothing.
 */
const topLevelScalars = (doc: Document): Map<string, unknown> => {
  const out = new Map<string, unknown>();
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const collect = (node: unknown, depth: number, explicit: boolean): void => {
    const map = resolve(node);
    if (!isMap(map) || depth > MERGE_DEPTH) return;
    const merged: unknown[] = [];
    for (const item of map.items) {
      const key = resolve(item.key);
      if (!isScalar(key)) continue;
      if (typeof key.value === 'symbol') {
        const from = resolve(item.value);
        merged.push(...(isSeq(from) ? from.items : [from]));
        continue;
      }
      const name = String(key.value);
      const value = resolve(item.value);
      // Explicit keys win over merged ones; the last explicit one wins.
      if (explicit || !out.has(name)) out.set(name, isScalar(value) ? value.value : value);
    }
    for (const m of merged) collect(m, depth + 1, false);
  };
  collect(doc.contents, 0, true);
  return out;
};

// Go's yaml.v1 into struct { ChangeVersion *int64; ChangedPending bool }:
// unknown keys are ignored, a value of the wrong type leaves the field unset
// (so a non-integer version reads as "not set"). Integers are kept as bigint
// so that the whole int64 range is exact; YAML 1.1 is Go's dialect.
export const parseUnitFile = (text: string): E.Either<string, UnitFile> => {
  if (text.length > UNIT_FILE_MAX_BYTES) {
    return E.left(`larger than ${UNIT_FILE_MAX_BYTES} bytes (relspec reads no more)`);
  }
  if (flowDepth(text) > MAX_DEPTH) {
    return E.left(`nested more than ${MAX_DEPTH} levels deep (relspec reads no deeper)`);
  }
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first !== undefined) return E.left(oneLine(first.message));
  const record = topLevelScalars(doc);
  const version = record.get('change-version');
  if (typeof version === 'bigint' && !isInt64(version)) {
    return E.left(`change-version ${version} is outside the int64 range`);
  }
  return E.right({
    version: typeof version === 'bigint' ? changeVersion(version) : undefined,
    changedPending: record.get('changed-pending') === true,
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
