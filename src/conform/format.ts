import { CLAUSES } from '../../spec/model/clauses.ts';
import { canonicalText } from '../fixtures/canonical.ts';
import type { Fixture, Response } from '../fixtures/fixture.ts';
import { describeRunnerError } from '../runner/errors.ts';
import type { AdvisoryReport } from './advisories.ts';
import type { Mismatch, Outcome } from './check.ts';
import { ruleClass, ruleClassReason } from './ruleClass.ts';
import type { Row } from './tally.ts';

const clip = (text: string, width = 160): string =>
  text.length > width ? `${text.slice(0, width - 3)}...` : text;

const showRequest = (request: Fixture['steps'][number]['request']): string => {
  const { op, ...rest } = request;
  return `${op} ${canonicalText(rest)}`;
};

const showResponse = (r: Response | undefined): string =>
  r === undefined
    ? '(nothing)'
    : r.ok
      ? canonicalText(r.result)
      : `protocol error ${JSON.stringify(r.error)}`;

/** One line per mismatch kind, the first line of a failure report. */
export const describeMismatch = (m: Mismatch): string => {
  switch (m._tag) {
    case 'Drift':
      return `step ${m.step}: ${m.message}`;
    case 'Files':
      return `state directory differs at the end: ${m.lines.join('; ')}`;
    case 'Runner':
      return `step ${m.step}: ${describeRunnerError(m.error)}`;
    case 'Violation':
      return `${m.clause} (${CLAUSES[m.clause as keyof typeof CLAUSES] ?? 'clause'}) broken at trace event ${m.event + 1}: ${m.explanation}`;
    case 'ErrorMissing':
      return `${m.note}: ${m.message}`;
  }
};

/**
 * The counterexample as a numbered step list: each request with the
 * reference's answer, and at the failing step what the implementation said
 * instead. Steps after the failure are not shown.
 */
export const stepList = (outcome: Outcome): string[] => {
  const m = outcome.mismatch;
  const failing = m !== undefined && (m._tag === 'Drift' || m._tag === 'Runner') ? m.step : -1;
  const last = failing > 0 ? failing : outcome.fixture.steps.length;
  const width = String(last).length;
  const lines: string[] = [];
  let note = '';
  for (const [i, step] of outcome.fixture.steps.slice(0, last).entries()) {
    const n = String(i + 1).padStart(width);
    const exchangeNote = outcome.exchanges[i]?.note ?? '';
    if (exchangeNote !== note) {
      note = exchangeNote;
      lines.push(`  -- ${note}`);
    }
    if (i + 1 === failing) {
      lines.push(`✗ ${n}. ${clip(showRequest(step.request))}`);
      lines.push(`  ${' '.repeat(width)}    expected ${clip(showResponse(step.response))}`);
      const got =
        m?._tag === 'Runner'
          ? describeRunnerError(m.error).split('\n')[0]
          : showResponse(outcome.actual[i]);
      lines.push(`  ${' '.repeat(width)}    got      ${clip(got ?? '')}`);
    } else {
      lines.push(
        `  ${n}. ${clip(showRequest(step.request))} -> ${clip(showResponse(step.response), 100)}`,
      );
    }
  }
  return lines;
};

/**
 * The closing table: clause or rule, its class, scenarios reaching it,
 * failures, and advisories (hardenings met, which do not fail a run).
 */
export const summaryTable = (rows: readonly [string, Row][]): string[] => {
  const idWidth = Math.max(6, ...rows.map(([id]) => id.length));
  const head = `${'clause'.padEnd(idWidth)}  ${'class'.padEnd(9)}  ${'reached'.padStart(7)}  ${'failed'.padStart(6)}  ${'advised'.padStart(7)}  what`;
  const lines = [head, '-'.repeat(head.length + 30)];
  for (const [id, row] of rows) {
    const title = CLAUSES[id as keyof typeof CLAUSES] ?? '';
    const cls = /^[RQ]-/.test(id) ? ruleClass(id) : 'clause';
    const mark = row.failed > 0 ? '  <-- FAILED' : row.advised > 0 ? '  <-- advisory' : '';
    lines.push(
      `${id.padEnd(idWidth)}  ${cls.padEnd(9)}  ${String(row.reached).padStart(7)}  ${String(row.failed).padStart(6)}  ${String(row.advised).padStart(7)}  ${title}${mark}`,
    );
  }
  return lines;
};

/** The advisories of a run, one block per phase and rule: count, Go fact, first example. */
export const advisoryLines = (reports: readonly AdvisoryReport[]): string[] => {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push('');
    lines.push(
      `ADVISORY [${r.phase}] ${r.rule} (hardening, ${r.count} time(s)): relspec is stricter than Juju here: ${ruleClassReason(r.rule) ?? ''}`,
    );
    lines.push(...r.lines);
  }
  return lines;
};
