import * as fc from 'fast-check';
import { INT64_MAX, INT64_MIN } from '../../src/model/int64.ts';

// Generators for the JSON forms of the model, written as the canonical text
// the encoders produce (map keys sorted, every field present), so that a
// round trip can be checked as text equality.

const TWO_53 = 2n ** 53n;

/** Any int64, with the edges and the 2^53 boundary drawn often. */
export const int64 = (): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }) },
    { weight: 2, arbitrary: fc.bigInt({ min: -1000n, max: 1000n }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        INT64_MIN,
        INT64_MIN + 1n,
        INT64_MAX,
        INT64_MAX - 1n,
        TWO_53 - 1n,
        TWO_53,
        TWO_53 + 1n,
        -TWO_53 - 1n,
        0n,
      ),
    },
  );

export const isBeyondDouble = (n: bigint): boolean => n > TWO_53 || n < -TWO_53;

const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

/** A later application group: lower-case letters and digits, at least one letter. */
const laterGroup = fc
  .tuple(chars(lower + digits, 0, 3), fc.constantFrom(...lower), chars(lower + digits, 0, 3))
  .map(([a, b, c]) => a + b + c);

/** An application name of Juju's grammar. */
export const application = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...lower),
      chars(lower + digits, 0, 6),
      fc.array(laterGroup, { maxLength: 3 }),
    )
    .map(([first, rest, groups]) => [first + rest, ...groups].join('-'));

/** A unit number: 0, small, or anywhere up to int64 max; no leading zero. */
export const unitNumber = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.bigInt({ min: 0n, max: 20n }),
      fc.bigInt({ min: 0n, max: INT64_MAX }),
      fc.constant(INT64_MAX),
    )
    .map(String);

/** A valid unit name as a plain string. */
export const unitNameText = (): fc.Arbitrary<string> =>
  fc.tuple(application(), unitNumber()).map(([app, n]) => `${app}/${n}`);

/** A small relation id (Go int), both signs, and the safe-integer edges. */
export const relationIdNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: -5, max: 1000 }),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  );

const sortedRecord = <V>(entries: readonly (readonly [string, V])[]): Record<string, V> => {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
};

const membersJson = fc
  .uniqueArray(fc.tuple(unitNameText(), int64()), { maxLength: 6, selector: ([u]) => u })
  .map(sortedRecord);

/** A State in its JSON form: members null (broken) or a sorted record; pending "" or a name. */
export const stateJson = () =>
  fc
    .record({
      relationId: relationIdNumber(),
      members: fc.option(membersJson, { nil: null, freq: 5 }),
      pendingPick: fc.nat(),
      pendingKind: fc.constantFrom('none', 'member', 'other'),
      other: unitNameText(),
    })
    .map(({ relationId, members, pendingPick, pendingKind, other }) => {
      const names = Object.keys(members ?? {});
      const changedPending =
        pendingKind === 'other'
          ? other
          : pendingKind === 'member' && names.length > 0
            ? (names[pendingPick % names.length] as string)
            : '';
      return { relationId, members, changedPending };
    });

/** A HookInfo in its JSON form. */
export const hookJson = () =>
  fc.oneof(
    fc.record({
      kind: fc.constantFrom('relation-joined', 'relation-changed', 'relation-departed'),
      relationId: relationIdNumber(),
      remoteUnit: unitNameText(),
      changeVersion: int64(),
    }),
    relationIdNumber().map((relationId) => ({
      kind: 'relation-broken',
      relationId,
      remoteUnit: '',
      changeVersion: 0n,
    })),
  );

/** A RelationUnitsChange in its JSON form, both fields present. */
export const changeJson = () =>
  fc.record({
    changed: fc
      .uniqueArray(fc.tuple(unitNameText(), int64()), { maxLength: 5, selector: ([u]) => u })
      .map((entries) => sortedRecord(entries.map(([u, v]) => [u, { version: v }] as const))),
    departed: fc.array(unitNameText(), { maxLength: 4 }),
  });
