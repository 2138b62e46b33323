import { summaryTable } from '../conform/format.ts';
import type { Failure } from '../conform/phases.ts';
import type { Row } from '../conform/tally.ts';

/**
 * The lines a conformance run prints, from its results: the terminal prints
 * them as the run goes, `relspec report` from a saved run document.
 */

export interface PhaseSummary {
  readonly name: string;
  readonly checked: number;
  /** What the phase says instead of pass/failed ("skipped", "not run at level ..."). */
  readonly note?: string;
  readonly failures: number;
  readonly seconds: number;
}

export const phaseLine = (p: PhaseSummary): string => {
  const verdict = p.note ?? (p.failures === 0 ? 'pass' : `${p.failures} FAILED`);
  return `${p.name}: ${p.checked} checked, ${verdict} (${p.seconds.toFixed(1)} s)`;
};

/** Which share of a run a sharded one is (`conform --shard k/n`). */
export const shardLine = (k: number, n: number, seed: number): string =>
  `shard ${k}/${n} of seed ${seed}`;

export const failureLines = (f: Pick<Failure, 'phase' | 'lines'>): string[] => [
  '',
  `FAIL [${f.phase}] ${f.lines[0] ?? ''}`,
  ...f.lines.slice(1),
  '',
];

export const verdictLine = (
  exitCode: 0 | 1 | 2,
  level: string,
  failures: number,
  seconds: number,
  advised: readonly string[] = [],
): string => {
  const total = seconds.toFixed(1);
  const rules = [...new Set(advised)];
  return exitCode === 0
    ? `conforms at level ${level}${rules.length > 0 ? `, with ${advised.length} advisory(ies): ${rules.join(' ')}` : ''} (${total} s)`
    : exitCode === 1
      ? `does NOT conform at level ${level}: ${failures} failure(s) (${total} s)`
      : `conformance run could not be completed (${total} s)`;
};

/** The closing table and the verdict; `advised` names the rule of each advisory. */
export const closingLines = (
  rows: readonly [string, Row][],
  exitCode: 0 | 1 | 2,
  level: string,
  failures: number,
  seconds: number,
  advised: readonly string[] = [],
): string[] => [
  '',
  ...summaryTable(rows),
  '',
  verdictLine(exitCode, level, failures, seconds, advised),
];
