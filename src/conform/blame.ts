import type { Outcome } from './check.ts';

/**
 * The write rules behind differing files: a unit file `<id>/<app>-<n>` is
 * the last write for unit `<app>/<n>`; a relation directory, the last write.
 */
export const writesBehind = (outcome: Outcome, lines: readonly string[]): string[] => {
  const writes = outcome.exchanges.filter((x) => x.request.op === 'statedir.write');
  const ids: string[] = [];
  for (const line of lines) {
    const file = /^(?:unexpected |missing )?[^/\s:]+\/([^\s:]+)/.exec(line)?.[1];
    const dash = file?.lastIndexOf('-') ?? -1;
    const unit =
      file !== undefined && dash > 0 ? `${file.slice(0, dash)}/${file.slice(dash + 1)}` : '';
    const last = [...writes]
      .reverse()
      .find((x) => unit === '' || (x.request.hook as { remoteUnit?: string }).remoteUnit === unit);
    ids.push(...(last?.rules ?? []));
  }
  return ids;
};

/** The rule ids of the exchange that failed, or of the writes behind differing files. */
export const mismatchRules = (outcome: Outcome): string[] => {
  const m = outcome.mismatch;
  if (m === undefined) return [];
  if (m._tag === 'Drift' || m._tag === 'Runner') {
    return [...(outcome.exchanges[m.step - 1]?.rules ?? [])];
  }
  if (m._tag === 'Files') return writesBehind(outcome, m.lines);
  return [];
};

/** Clause and rule ids a failure breaks: the clause the implementation's run breaks, then the rules. */
export const failedIds = (outcome: Outcome, clause: string | undefined): string[] => {
  const m = outcome.mismatch;
  if (m?._tag === 'Violation') return [m.clause];
  return [...new Set([...(clause === undefined ? [] : [clause]), ...mismatchRules(outcome)])];
};

/** Protocol steps of a counterexample: up to the failing one, or all of them when only the files differ. */
export const protocolSteps = (outcome: Outcome): number => {
  const m = outcome.mismatch;
  return m !== undefined && (m._tag === 'Drift' || m._tag === 'Runner')
    ? m.step
    : outcome.fixture.steps.length;
};
