import type { Row } from '../conform/tally.ts';
import type { ReportDocument } from './document.ts';
import { closingLines, failureLines, phaseLine, shardLine } from './summary.ts';

/** The terminal's lines for a saved document: what `conform` printed for that run. */
export const documentLines = (doc: ReportDocument): string[] => {
  const implementation = `implementation: ${doc.implementation.command}`;
  const hello = doc.implementation.hello === null ? [] : [`hello: ${doc.implementation.hello}`];
  if (doc.format === 'relspec-failure') {
    return [implementation, ...hello, ...failureLines(doc.failure)];
  }
  const rows: [string, Row][] = doc.ids.map((r) => [
    r.id,
    { reached: r.reached, failed: r.failed, advised: r.advised ?? 0 },
  ]);
  const lines = [implementation, ...hello];
  if (doc.shard !== undefined) lines.push(shardLine(doc.shard.k, doc.shard.n, doc.seed));
  if (doc.mergedShards !== undefined) {
    lines.push(`merged from ${doc.mergedShards} shard(s) of seed ${doc.seed}`);
  }
  for (const phase of doc.phases) {
    lines.push(phaseLine(phase));
    for (const f of doc.failures.filter((x) => x.phase === phase.name)) {
      lines.push(...failureLines(f));
    }
  }
  for (const a of doc.advisories) lines.push(`advisory ${a.id}: ${a.message}`);
  const advised = doc.advisories.map((a) => a.id);
  lines.push(
    ...closingLines(rows, doc.exitCode, doc.level, doc.failures.length, doc.seconds, advised),
  );
  return lines;
};
