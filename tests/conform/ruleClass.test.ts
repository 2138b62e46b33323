import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  RULE_CLASSES,
  ruleClass,
  ruleClassSection,
  SECTION_END,
  SECTION_START,
} from '../../src/conform/ruleClass.ts';
import { loadFixtureDir } from '../../src/fixtures/dir.ts';

// One table of rule classes (src/conform/ruleClass.ts), used by conform,
// the fixtures and spec/RULES.md: they must agree.

const rules = readFileSync('spec/RULES.md', 'utf8');
const defined = [...rules.matchAll(/^- \*\*([RQ]-[A-Z0-9-]+)\*\*/gm)].map((m) => m[1] as string);

test('every rule id of RULES.md has a class, and the table names no other id', () => {
  const table = Object.keys(RULE_CLASSES);
  assert.equal(
    defined.filter((id) => !table.includes(id)),
    [],
  );
  assert.equal(
    table.filter((id) => !defined.includes(id)),
    [],
  );
});

test('the generated section of RULES.md is the table (npx tsx scripts/rule-classes.ts)', () => {
  const start = rules.indexOf(SECTION_START);
  const end = rules.indexOf(SECTION_END);
  assert.ok(start >= 0 && end > start, 'markers missing');
  assert.fixture(rules.slice(start, end + SECTION_END.length), ruleClassSection());
});

test('a rule whose sentence names its class in RULES.md has that class', () => {
  for (const line of rules.split('\n')) {
    const id = /^- \*\*([RQ]-[A-Z0-9-]+)\*\*/.exec(line)?.[1];
    if (id === undefined) continue;
    for (const cls of ['choice', 'undefined', 'hardening'] as const) {
      if (new RegExp(`\\b${cls}\\b[:)]`, 'i').test(line)) {
        assert.is(ruleClass(id), cls, `${id} says ${cls}`);
      }
    }
  }
});

test('every fixture records the class of its rules and of its step marks, as the table says', async () => {
  const loaded = await loadFixtureDir('fixtures');
  if (E.isLeft(loaded)) throw new Error(loaded.left.map((p) => p.message).join('\n'));
  let marks = 0;
  for (const f of loaded.right) {
    const classes = f.ruleClasses ?? {};
    for (const id of f.rules) assert.is(classes[id], ruleClass(id), `${f.id}: ${id}`);
    for (const [id, cls] of Object.entries(classes))
      assert.is(cls, ruleClass(id), `${f.id}: ${id}`);
    for (const [i, s] of f.steps.entries()) {
      const where = `${f.id} step ${i + 1}`;
      for (const [mark, cls] of [
        [s.undefined, 'undefined'],
        [s.retire, 'undefined'],
        [s.hardening, 'hardening'],
        [s.choice, 'choice'],
      ] as const) {
        if (mark === undefined) continue;
        marks += 1;
        assert.is(ruleClass(mark), cls, where);
        assert.is(classes[mark], cls, `${where}: ruleClasses lists ${mark}`);
      }
    }
  }
  // The curated set has marks of every kind (a table nobody reads proves nothing).
  assert.ok(marks >= 10, `only ${marks} step marks`);
});

test.run();
