import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeWith,
  HookInfo,
  INT64_MAX,
  isUnitName,
  RelationUnitsChange,
  State,
  UnitName,
  unitFileName,
} from '../../src/model/index.ts';
import { check } from '../config.ts';
import { application, unitNameText } from './arbitraries.ts';

// Juju's unit name grammar: what it accepts, what it refuses, and that a
// refusal names the field path and the bad value.

test('valid names decode, alone and in every place a name appears', () => {
  let bigNumbers = 0;
  let hyphenated = 0;
  check(
    fc.property(unitNameText(), (name) => {
      if (name.slice(name.indexOf('/') + 1).length > 15) bigNumbers++;
      if (name.includes('-')) hyphenated++;
      const hook = { kind: 'relation-joined', relationId: 1, remoteUnit: name, changeVersion: 1 };
      return (
        E.isRight(decodeWith(UnitName)(name)) &&
        E.isRight(
          decodeWith(State)({ relationId: 1, members: { [name]: 1 }, changedPending: name }),
        ) &&
        E.isRight(
          decodeWith(RelationUnitsChange)({
            changed: { [name]: { version: 2 } },
            departed: [name],
          }),
        ) &&
        E.isRight(decodeWith(HookInfo)(hook))
      );
    }),
    300,
  );
  assert.ok(bigNumbers > 0 && hyphenated > 0, `${bigNumbers} ${hyphenated}`);
});

test('a valid name maps to one state file name and back (split at the last hyphen)', () => {
  check(
    fc.property(unitNameText(), (name) => {
      const file = unitFileName(name as UnitName);
      const cut = file.lastIndexOf('-');
      return `${file.slice(0, cut)}/${file.slice(cut + 1)}` === name;
    }),
    300,
  );
});

type Category =
  | 'uppercase'
  | 'leading-hyphen'
  | 'trailing-hyphen'
  | 'double-hyphen'
  | 'digit-group'
  | 'leading-digit'
  | 'leading-zero'
  | 'missing-number'
  | 'missing-slash'
  | 'too-big'
  | 'negative'
  | 'path-trick'
  | 'odd-character';

const number = fc.bigInt({ min: 0n, max: 1000n }).map(String);

/** A malformed name and the rule it breaks. */
const malformed: fc.Arbitrary<{ category: Category; name: string }> = fc.oneof(
  fc.tuple(application(), number, fc.nat()).map(([app, n, i]) => {
    // Upper-case one of its letters (every application has at least one).
    const letters = [...app].flatMap((c, j) => (/[a-z]/.test(c) ? [j] : []));
    const at = letters[i % letters.length] as number;
    const upper = app.slice(0, at) + app.charAt(at).toUpperCase() + app.slice(at + 1);
    return { category: 'uppercase' as const, name: `${upper}/${n}` };
  }),
  fc
    .tuple(application(), number)
    .map(([a, n]) => ({ category: 'leading-hyphen' as const, name: `-${a}/${n}` })),
  fc
    .tuple(application(), number)
    .map(([a, n]) => ({ category: 'trailing-hyphen' as const, name: `${a}-/${n}` })),
  fc.tuple(application(), application(), number).map(([a, b, n]) => ({
    category: 'double-hyphen' as const,
    name: `${a}--${b}/${n}`,
  })),
  fc.tuple(application(), fc.bigInt({ min: 0n, max: 99999n }), number).map(([a, d, n]) => ({
    category: 'digit-group' as const,
    name: `${a}-${d}/${n}`,
  })),
  fc.tuple(fc.nat(9), application(), number).map(([d, a, n]) => ({
    category: 'leading-digit' as const,
    name: `${d}${a}/${n}`,
  })),
  fc.tuple(application(), fc.bigInt({ min: 0n, max: 999n })).map(([a, n]) => ({
    category: 'leading-zero' as const,
    name: `${a}/0${n}`,
  })),
  application().map((a) => ({ category: 'missing-number' as const, name: `${a}/` })),
  fc
    .tuple(application(), number)
    .map(([a, n]) => ({ category: 'missing-slash' as const, name: `${a}${n}` })),
  fc.tuple(application(), fc.bigInt({ min: INT64_MAX + 1n, max: 10n ** 30n })).map(([a, n]) => ({
    category: 'too-big' as const,
    name: `${a}/${n}`,
  })),
  fc.tuple(application(), fc.bigInt({ min: 1n, max: 1000n })).map(([a, n]) => ({
    category: 'negative' as const,
    name: `${a}/-${n}`,
  })),
  fc
    .constantFrom(
      '../x/1',
      'x/../1',
      'x/1/..',
      './x/1',
      'x/1/',
      '/x/1',
      'x/1/2',
      'x/1/y',
      '..',
      '.',
      '',
      'x\\y/1',
      'x/1\\..',
    )
    .map((name) => ({ category: 'path-trick' as const, name })),
  fc
    .tuple(
      application(),
      fc.constantFrom(' ', '_', '.', '\u00e9', '\u0000', '\n', '+', ':'),
      number,
    )
    .map(([a, c, n]) => ({ category: 'odd-character' as const, name: `${a}${c}/${n}` })),
);

/** Where a bad name is put, and the field path its error must name. */
const placements: readonly {
  readonly where: string;
  readonly codec: t.Mixed;
  readonly value: (name: string) => unknown;
  readonly path: (name: string) => string;
}[] = [
  { where: 'unit', codec: UnitName, value: (n) => n, path: () => '(root)' },
  {
    where: 'departed',
    codec: RelationUnitsChange,
    value: (n) => ({ changed: {}, departed: ['ok/0', n] }),
    path: () => 'departed[1]',
  },
  {
    where: 'changed key',
    codec: RelationUnitsChange,
    value: (n) => ({ changed: { [n]: { version: 1 } } }),
    path: (n) => `changed[${JSON.stringify(n)}]`,
  },
  {
    where: 'members key',
    codec: State,
    value: (n) => ({ relationId: 1, members: { [n]: 1 }, changedPending: '' }),
    path: (n) => `members[${JSON.stringify(n)}]`,
  },
  {
    where: 'changedPending',
    codec: State,
    value: (n) => ({ relationId: 1, members: {}, changedPending: n }),
    path: () => 'changedPending',
  },
  {
    where: 'remoteUnit',
    codec: HookInfo,
    value: (n) => ({ kind: 'relation-departed', relationId: 1, remoteUnit: n, changeVersion: 1 }),
    path: () => 'remoteUnit',
  },
];

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

test('malformed names are refused, naming the field path and the bad value', () => {
  const seen = new Map<Category, number>();
  check(
    fc.property(malformed, fc.nat(placements.length - 1), ({ category, name }, p) => {
      const place = placements[p] as (typeof placements)[number];
      // The empty name is a valid changedPending ("none"), so it is not bad there.
      if (name === '' && place.where === 'changedPending') return true;
      seen.set(category, (seen.get(category) ?? 0) + 1);
      if (isUnitName(name)) return false;
      const result = decodeWith(place.codec)(place.value(name));
      if (E.isRight(result)) return false;
      // A key that reads as an identifier is written with a dot instead.
      const path =
        place.where.endsWith('key') && IDENT.test(name)
          ? place.path(name).replace(/\[".*"\]$/, `.${name}`)
          : place.path(name);
      return result.left.problems.some(
        (line) => line.startsWith(`${path}: `) && line.endsWith(`got ${JSON.stringify(name)}`),
      );
    }),
    600,
  );
  const categories: Category[] = [
    'uppercase',
    'leading-hyphen',
    'trailing-hyphen',
    'double-hyphen',
    'digit-group',
    'leading-digit',
    'leading-zero',
    'missing-number',
    'missing-slash',
    'too-big',
    'negative',
    'path-trick',
    'odd-character',
  ];
  for (const c of categories) assert.ok((seen.get(c) ?? 0) > 0, `category ${c} never generated`);
});

test('examples: the grammar at its edges', () => {
  for (const good of ['a/0', 'foo-bar/12', 'mysql2/1', 'a-b2c/3', 'a-1b/0', `x/${INT64_MAX}`]) {
    assert.ok(isUnitName(good), good);
  }
  for (const bad of ['foo-1/0', 'Foo/0', '-a/0', 'a/01', 'a/', `x/${INT64_MAX + 1n}`, '../x/1']) {
    assert.not.ok(isUnitName(bad), bad);
  }
});

test.run();
