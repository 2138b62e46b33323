import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MUTANT_RULES } from '../impls/mutants/rules.ts';

// The mutant table and the written arguments of spec/RULES.md together name
// every rule id exactly once: no rule is skipped silently.

const rules = readFileSync('spec/RULES.md', 'utf8');
const defined = [...rules.matchAll(/^- \*\*([RQ]-[A-Z0-9-]+)\*\*/gm)].map((m) => m[1] as string);
const section = rules.split('## Rules no protocol exchange can observe')[1] ?? '';
const argued = [...section.matchAll(/`([RQ]-[A-Z0-9-]+)`/g)].map((m) => m[1] as string);

test('RULES.md: the section "Rules no protocol exchange can observe" exists', () => {
  assert.ok(argued.length >= 10, `only ${argued.length} ids argued`);
});

test('every rule id of RULES.md has a mutant or a written argument', () => {
  const covered = new Set<string>([...MUTANT_RULES, ...argued]);
  assert.equal(
    defined.filter((id) => !covered.has(id)),
    [],
  );
});

test('no rule id has both a mutant and an argument that it cannot be observed', () => {
  const both = argued.filter((id) => (MUTANT_RULES as readonly string[]).includes(id));
  assert.equal(both, []);
});

test('every mutant and every argued id names a rule of RULES.md', () => {
  const known = new Set(defined);
  assert.equal(
    [...MUTANT_RULES, ...argued].filter((id) => !known.has(id)),
    [],
  );
});

test.run();
