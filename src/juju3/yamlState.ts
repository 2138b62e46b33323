import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { parseDocument } from 'yaml';
import { ChangeVersion } from '../model/changeVersion.ts';
import { decodeWith } from '../model/decode.ts';
import { compareGo, type RelationState, type Versions } from './types.ts';

// The local-state file of one relation, in the YAML that Juju's State
// marshals to (J3-CODEC-*): keys id, members, application-members,
// changed-pending; empty maps and an empty pending unit are left out; a
// missing or null map reads as empty, never as broken.

/** The refusal of a version with a fraction, which yaml.v2 would truncate (J3-H-CODEC-NUMBERS). */
export const FRACTION_REFUSED = 'expected an integer version, not a fraction (J3-H-CODEC-NUMBERS)';

const YamlVersions = new t.Type<Versions, unknown, unknown>(
  'versions',
  (u): u is Versions => u instanceof Map,
  (u, c) => {
    if (u === null || u === undefined) return t.success(new Map());
    if (typeof u !== 'object' || Array.isArray(u))
      return t.failure(u, c, 'expected a mapping of names to versions');
    const out = new Map<string, bigint>();
    for (const [k, v] of Object.entries(u)) {
      if (typeof v === 'number' && !Number.isInteger(v))
        return t.failure(v, [...c, { key: k, type: ChangeVersion, actual: v }], FRACTION_REFUSED);
      const d = ChangeVersion.validate(v, [...c, { key: k, type: ChangeVersion, actual: v }]);
      if (d._tag === 'Left') return d;
      out.set(k, d.right);
    }
    return t.success(out);
  },
  (m) => m,
);

const YamlId = new t.Type<number, unknown, unknown>(
  'id',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (u === undefined || u === null) return t.success(0);
    const n = typeof u === 'bigint' ? Number(u) : u;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
      ? t.success(n)
      : t.failure(u, c, 'expected a non-negative integer relation id');
  },
  (n) => n,
);

const YamlPending = new t.Type<string, unknown, unknown>(
  'changed-pending',
  t.string.is,
  (u, c) =>
    u === undefined || u === null
      ? t.success('')
      : typeof u === 'string'
        ? t.success(u)
        : t.failure(u, c, 'expected a unit name'),
  (s) => s,
);

const StateFile = t.type(
  {
    id: YamlId,
    members: YamlVersions,
    'application-members': YamlVersions,
    'changed-pending': YamlPending,
  },
  'relation state',
);

const decodeFile = decodeWith(StateFile, 'relation state');

/** Read a state file's text; the error names the line or field that is wrong. */
export const decodeStateYaml = (text: string): E.Either<string, RelationState> => {
  // YAML 1.1 scalars, as Go's yaml.v2 reads them (010 is octal, 0x10 hex).
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos !== undefined ? `line ${pos.line}, column ${pos.col}` : 'the document';
    return E.left(`invalid relation state YAML at ${where}: ${first.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  if (value === null || value === undefined)
    return E.left('invalid relation state YAML: the document is empty');
  if (typeof value !== 'object' || Array.isArray(value))
    return E.left('invalid relation state YAML: expected a mapping at the top level');
  return E.bimap(
    (e: { message: string }) => e.message,
    (f: t.TypeOf<typeof StateFile>): RelationState => ({
      relationId: f.id,
      members: f.members,
      applicationMembers: f['application-members'],
      changedPending: f['changed-pending'],
    }),
  )(decodeFile(value));
};

// Names that YAML reads back as the same string without quotes.
const PLAIN = /^[a-z][a-z0-9-]*(?:\/[0-9]+)?$/;

const key = (name: string): string => (PLAIN.test(name) ? name : JSON.stringify(name));

const block = (title: string, m: Versions | null): string => {
  if (m === null || m.size === 0) return '';
  const names = [...m.keys()].sort(compareGo);
  return `${title}:\n${names.map((n) => `  ${key(n)}: ${String(m.get(n))}\n`).join('')}`;
};

/** The state file's text (layout: J3-CODEC-LAYOUT). */
export const encodeStateYaml = (s: RelationState): string =>
  `id: ${s.relationId}\n${block('members', s.members)}${block('application-members', s.applicationMembers)}${
    s.changedPending === '' ? '' : `changed-pending: ${key(s.changedPending)}\n`
  }`;
