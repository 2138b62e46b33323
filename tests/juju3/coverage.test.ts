import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalPretty } from '../../src/fixtures/canonical.ts';
import { recordCurated } from '../../src/juju3/cli/fixtures.ts';
import { loadJuju3Fixtures } from '../../src/juju3/fixtures/fixture.ts';
import { MUTANTS } from '../impls/juju3/mutants.ts';

// The juju-3 ids are read from the documents, so a new rule or clause
// without a fixture (or, for rules, a mutant) fails here.

const ids = (file: string, pattern: RegExp): string[] => [
  ...new Set([...readFileSync(file, 'utf8').matchAll(pattern)].map((m) => m[1] as string)),
];
const RULES = ids('spec/juju-3/RULES.md', /\*\*(J3-[A-Z0-9-]+)\*\*/g);
const CLAUSES = ids('spec/juju-3/GUARANTEES.md', /^- \*\*(J[T]?[0-9]+[a-z]?)\*\*/gm);

// Rules no single-rule mutant can break observably: choices accept every
// member of their set and undefined behaviour accepts any answer.
const NOT_MUTATED = ['J3-AGENT-MAP-ORDER', 'J3-CODEC-LAYOUT', 'J3-U-CODEC-EMPTY', 'J3-U-DEAD'];

const fixtures = async () => {
  const loaded = await loadJuju3Fixtures('fixtures/juju-3');
  if (E.isLeft(loaded)) throw new Error(loaded.left.join('\n'));
  return loaded.right;
};

test('every juju-3 rule and clause has a curated fixture', async () => {
  assert.ok(RULES.length >= 50, `only ${RULES.length} rules read`);
  assert.ok(CLAUSES.length >= 18, `only ${CLAUSES.length} clauses read`);
  const fs = await fixtures();
  const rules = new Set(fs.flatMap((f) => f.rules));
  const clauses = new Set(fs.flatMap((f) => f.clauses));
  assert.equal(
    RULES.filter((r) => !rules.has(r)),
    [],
  );
  assert.equal(
    CLAUSES.filter((c) => !clauses.has(c)),
    [],
  );
  const known = new Set([...RULES, ...CLAUSES]);
  assert.equal(
    fs.flatMap((f) => [...f.rules, ...f.clauses]).filter((x) => !known.has(x)),
    [],
  );
});

test('the rules without a mutant are exactly the choice and undefined ones', () => {
  const text = readFileSync('spec/juju-3/RULES.md', 'utf8');
  const open = [...text.matchAll(/\*\*(J3-[A-Z0-9-]+)\*\* \((choice|undefined)\)/g)].map(
    (m) => m[1],
  );
  assert.equal([...open].sort(), [...NOT_MUTATED].sort());
  const classed = [
    ...text.matchAll(/\*\*(J3-[A-Z0-9-]+)\*\* \((juju|choice|undefined|hardening)\)/g),
  ];
  assert.is(
    new Set(classed.map((m) => m[1])).size,
    RULES.length,
    'every rule has one of the four classes',
  );
});

test('every juju-3 rule has a mutant, except the listed ones', () => {
  assert.equal(
    RULES.filter((r) => MUTANTS[r] === undefined && !NOT_MUTATED.includes(r)),
    [],
  );
  assert.equal(
    Object.keys(MUTANTS).filter((m) => !RULES.includes(m)),
    [],
  );
});

test('the curated fixtures are the ones the reference records today', async () => {
  const recorded = await recordCurated();
  if (E.isLeft(recorded)) throw new Error(recorded.left);
  for (const f of recorded.right)
    assert.is(readFileSync(`fixtures/juju-3/${f.id}.json`, 'utf8'), canonicalPretty(f), f.id);
});

test.run();
