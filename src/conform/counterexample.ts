import type { Fixture, Response } from '../fixtures/fixture.ts';
import type { ReplayReport } from '../fixtures/replay.ts';
import { describeRunnerError } from '../runner/errors.ts';
import type { Mismatch, Outcome } from './check.ts';
import { describeMismatch } from './format.ts';

/**
 * A failure as data: the requests with the reference's answers (a fixture),
 * what the implementation answered up to the failing step, and what went
 * wrong. The report document carries it; the timeline draws it.
 */
export interface Counterexample {
  readonly fixture: Fixture;
  /** The implementation's answers in step order; null where it gave none. */
  readonly got: readonly (Response | null)[];
  readonly mismatch: {
    readonly kind: 'drift' | 'files' | 'runner' | 'violation' | 'error-missing';
    /** 1-based protocol step that failed (absent when only the files differ). */
    readonly step?: number;
    readonly message: string;
  };
  /** The guarantee clause the implementation's own run breaks, if one does. */
  readonly clause?: { readonly id: string; readonly explanation: string };
}

const KIND = {
  Drift: 'drift',
  Files: 'files',
  Runner: 'runner',
  Violation: 'violation',
  ErrorMissing: 'error-missing',
} as const satisfies Record<Mismatch['_tag'], Counterexample['mismatch']['kind']>;

/** A response without its id, as fixtures hold them; null if it is not one. */
const asResponse = (u: unknown): Response | null => {
  if (typeof u !== 'object' || u === null) return null;
  const r = u as { ok?: unknown; result?: unknown; error?: unknown };
  if (r.ok === true && typeof r.result === 'object' && r.result !== null) {
    return { ok: true, result: r.result as Record<string, unknown> };
  }
  return r.ok === false && typeof r.error === 'string' ? { ok: false, error: r.error } : null;
};

/** The counterexample of a scenario's (shrunk) outcome. */
export const fromOutcome = (
  outcome: Outcome,
  clause?: { readonly clause: string; readonly explanation: string },
): Counterexample | undefined => {
  const m = outcome.mismatch;
  if (m === undefined) return undefined;
  const step = m._tag === 'Drift' || m._tag === 'Runner' ? m.step : undefined;
  return {
    fixture: outcome.fixture,
    got: outcome.actual.map(asResponse),
    mismatch: {
      kind: KIND[m._tag],
      ...(step === undefined ? {} : { step }),
      message: m._tag === 'Runner' ? describeRunnerError(m.error) : describeMismatch(m),
    },
    ...(clause === undefined
      ? {}
      : { clause: { id: clause.clause, explanation: clause.explanation } }),
  };
};

/** The counterexample of a golden fixture that drifted: its first drift, or its files. */
export const fromReplay = (
  fixture: Fixture,
  report: ReplayReport,
  answers: readonly unknown[],
): Counterexample => {
  const drift = report.drifts[0];
  const aborted = report.aborted !== undefined && drift === undefined;
  const abortedAt = Number(/^step (\d+) /.exec(report.aborted ?? '')?.[1] ?? answers.length + 1);
  const mismatch: Counterexample['mismatch'] =
    drift !== undefined
      ? { kind: 'drift', step: drift.step, message: `step ${drift.step}: ${drift.message}` }
      : aborted
        ? { kind: 'runner', step: abortedAt, message: report.aborted ?? '' }
        : {
            kind: 'files',
            message: `state directory differs at the end: ${report.files.join('; ')}`,
          };
  const last = mismatch.step ?? answers.length;
  return { fixture, got: answers.slice(0, last).map(asResponse), mismatch };
};
