import { stringifyJson } from '../model/json.ts';
import type { CheckResult } from './checker.ts';

/** The exit status for a verdict: 0 conforms, 1 violation, 2 malformed trace. */
export const exitCode = (r: CheckResult): number =>
  r._tag === 'Conforms' ? 0 : r._tag === 'Violation' ? 1 : 2;

/** One line for people. */
export const describeResult = (file: string, r: CheckResult): string => {
  switch (r._tag) {
    case 'Conforms':
      return `${file}: conforms (${r.events} events)`;
    case 'Violation':
      return `${file}:${r.line}: violates ${r.clause}: ${r.explanation}`;
    case 'Malformed':
      return `${file}: malformed trace: ${r.message}`;
  }
};

/** One JSON object for machines (the --json output). */
export const resultJson = (file: string, r: CheckResult): string => {
  switch (r._tag) {
    case 'Conforms':
      return stringifyJson({ file, verdict: 'conforms', events: r.events, lines: r.lines });
    case 'Violation':
      return stringifyJson({
        file,
        verdict: 'violation',
        clause: r.clause,
        line: r.line,
        event: r.step,
        explanation: r.explanation,
      });
    case 'Malformed':
      return stringifyJson({ file, verdict: 'malformed', line: r.line, error: r.message });
  }
};
