import { readFileSync } from 'node:fs';
import { packagePath } from '../package/root.ts';

const RULES = packagePath('spec', 'RULES.md');

/**
 * The rule ids of spec/RULES.md that a protocol exchange can observe: every
 * defined id but those argued in its section "Rules no protocol exchange can
 * observe". The closing table declares them, so an unreached rule shows 0.
 * Without the document (an installed copy without spec/) the table lists
 * only the ids scenarios reached.
 */
export const observableRuleIds = (): string[] => {
  let text: string;
  try {
    text = readFileSync(RULES, 'utf8');
  } catch {
    return [];
  }
  const [rules = '', argued = ''] = text.split('## Rules no protocol exchange can observe');
  const unobservable = new Set([...argued.matchAll(/`([RQ]-[A-Z0-9-]+)`/g)].map((m) => m[1]));
  return [...rules.matchAll(/^- \*\*([RQ]-[A-Z0-9-]+)\*\*/gm)]
    .map((m) => m[1] as string)
    .filter((id) => !unobservable.has(id));
};
