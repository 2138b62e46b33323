import { readFileSync } from 'node:fs';
import { CLAUSES } from '../../spec/model/clauses.ts';
import { packagePath } from '../package/root.ts';

const RULES = packagePath('spec', 'RULES.md');

/**
 * The text of each clause (spec/GUARANTEES.md titles) and rule id
 * (spec/RULES.md, "- **ID**: text"), so that a report can carry the words
 * an id stands for. Without the document only the clauses are known.
 */
export const idTexts = (): ReadonlyMap<string, string> => {
  const out = new Map<string, string>(Object.entries(CLAUSES));
  let text = '';
  try {
    text = readFileSync(RULES, 'utf8');
  } catch {
    return out;
  }
  for (const m of text.matchAll(/^- \*\*([RQ]-[A-Z0-9-]+)\*\*:?\s*(.*)$/gm)) {
    out.set(m[1] as string, (m[2] as string).replace(/`/g, ''));
  }
  return out;
};
