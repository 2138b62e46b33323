import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkTraceChunks } from '../src/check/checker.ts';
import { syntheticTrace, traceLine } from '../src/check/synthetic.ts';

// Trace checking throughput: `relspec check`'s path (file read in chunks,
// lines decoded, monitor fed) on a conforming trace of 10^6 lines written by
// the reference agent. Reports lines per second, wall clock and CPU time
// (the CPU figure is steadier on a busy machine).

export interface TraceBenchRow {
  readonly name: string;
  readonly lines: number;
  readonly seconds: number;
  readonly linesPerSecond: number;
  readonly cpuLinesPerSecond: number;
}

export const traceCheckRow = async (lines = 1_000_000): Promise<TraceBenchRow> => {
  const dir = await mkdtemp(join(tmpdir(), 'relspec-bench-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const out: string[] = [];
    for (const e of syntheticTrace(lines, 1)) out.push(traceLine(e));
    await writeFile(file, `${out.join('\n')}\n`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const result = await checkTraceChunks(stream as AsyncIterable<string>);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (result._tag !== 'Conforms') throw new Error(`bench trace does not conform: ${result._tag}`);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      name: `trace check (${out.length} lines)`,
      lines: out.length,
      seconds,
      linesPerSecond: out.length / seconds,
      cpuLinesPerSecond: out.length / cpuSeconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export const formatTraceRow = (r: TraceBenchRow): string =>
  `${r.name}: ${fmt(r.linesPerSecond)} lines/s (${r.seconds.toFixed(2)} s wall), ${fmt(r.cpuLinesPerSecond)} lines/s of CPU time`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const lines = Number(process.argv[2] ?? 1_000_000);
  process.stdout.write(`${formatTraceRow(await traceCheckRow(lines))}\n`);
}
