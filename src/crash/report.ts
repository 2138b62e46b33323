import type { CrashReport, Row } from './index.ts';

// The first column is text (left), the others counts (right-aligned).
const pad = (cells: readonly string[], widths: readonly number[]) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;

/** A Markdown table: request kind, calls, points tried, recovered, failures (and points that could not be aimed). */
export const crashTable = (rows: readonly Row[]): string[] => {
  const header = ['request kind', 'calls', 'crash points tried', 'states recovered', 'failures'];
  const missed = rows.some((r) => r.missed > 0);
  if (missed) header.push('could not aim');
  const body = rows.map((r) => {
    const cells = [
      r.kind,
      String(r.calls),
      String(r.tried),
      String(r.recovered),
      String(r.failures),
    ];
    if (missed) cells.push(String(r.missed));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  return [
    pad(header, widths),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...body.map((b) => pad(b, widths)),
  ];
};

/** The report as lines: one table per phase, then each failure with its replay file. */
export const formatCrashReport = (report: CrashReport): string[] => {
  if (!report.ran) return [report.note ?? 'crash phase not run'];
  const lines: string[] = [
    `crash phases against ${report.command} (seed ${report.seed}, crash points ${report.crashPoints === 'all' ? 'all' : `${report.crashPoints} per phase, sampled, every request kind at least once`})`,
    ...report.scenarios.map((s) => `  ${s}`),
  ];
  for (const phase of ['process crash', 'I/O error', 'power cut'] as const) {
    const rows = report.rows.filter((r) => r.phase === phase);
    if (rows.length === 0) continue;
    lines.push('', `${phase}:`, ...crashTable(rows));
  }
  if (report.failures.length > 0) {
    lines.push('', `${report.failures.length} failure(s):`);
    for (const [i, f] of report.failures.entries()) {
      lines.push(
        `${i + 1}. [${f.phase}] request ${f.request} (${f.kind}): ${f.what}`,
        `   ${f.reason}`,
        `   shortest scenario: ${f.steps.join(' / ')}`,
      );
      if (f.replayFile !== undefined) lines.push(`   replay file: ${f.replayFile}`);
    }
  }
  for (const q of report.quirks) {
    lines.push(
      '',
      `known quirk, met at ${q.points} point(s) and not counted as a failure: ${q.text}`,
    );
  }
  const missed = report.rows.reduce((n, r) => n + r.missed, 0);
  if (missed > 0) {
    lines.push(
      '',
      `${missed} point(s) could not be aimed: strace's injection did not hit the call of that rank after correcting when=; each is counted as a failure of the run`,
    );
  }
  lines.push(
    '',
    `${report.failures.length === 0 ? 'crash phases passed' : 'crash phases FAILED'} in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return lines;
};

export const printCrashReport = (
  report: CrashReport,
  write: (line: string) => void = console.log,
) => {
  for (const line of formatCrashReport(report)) write(line);
};
