// Rewrites the generated table of spec/RULES.md, section "Rule classes",
// from src/conform/ruleClass.ts:  npx tsx scripts/rule-classes.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { withRuleClassSection } from '../src/conform/ruleClass.ts';

const path = new URL('../spec/RULES.md', import.meta.url);
const next = withRuleClassSection(readFileSync(path, 'utf8'));
if (next === undefined) {
  process.stderr.write('spec/RULES.md: the rule-classes markers are missing\n');
  process.exit(1);
}
writeFileSync(path, next);
