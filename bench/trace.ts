import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTraceChecker } from '../src/check/checker.ts';
import { syntheticTrace, traceLine } from '../src/check/synthetic.ts';

// Trace checking throughput: `relspec check`'s path (the file read in 1 MiB
// chunks, lines decoded, the monitor fed) on a conforming trace written by
// the reference agent (joins, version bumps, departures, crashes, dying).
// The row has the shape of bench/row.ts's BenchRow; bench/main.ts lists it
// as `{ name: 'trace check', run: () => benchTrace() }`.

export interface TraceBenchRow {
  readonly name: string;
  readonly size: string;
  readonly event: string;
  readonly events: number;
  readonly seconds: number;
  readonly best?: number | undefined;
  readonly notes: string;
}

const SLICE = 100_000;

export const benchTrace = async (options: { lines?: number } = {}): Promise<TraceBenchRow> => {
  const wanted = options.lines ?? 1_000_000;
  const dir = await mkdtemp(join(tmpdir(), 'relspec-bench-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const out: string[] = [];
    for (const e of syntheticTrace(wanted, 1)) out.push(traceLine(e));
    const text = `${out.join('\n')}\n`;
    out.length = 0;
    await writeFile(file, text);
    const checker = createTraceChecker();
    let lines = 0;
    let best = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let sliceStart = t0;
    let rest = '';
    for await (const chunk of createReadStream(file, {
      encoding: 'utf8',
      highWaterMark: 1 << 20,
    })) {
      const buffer = rest + (chunk as string);
      let start = 0;
      for (let stop = buffer.indexOf('\n'); stop >= 0; stop = buffer.indexOf('\n', start)) {
        if (checker.line(buffer.slice(start, stop)) !== undefined) {
          throw new Error(`bench trace does not conform: ${JSON.stringify(checker.end())}`);
        }
        start = stop + 1;
        if (++lines % SLICE === 0) {
          const now = performance.now();
          best = Math.max(best, SLICE / ((now - sliceStart) / 1000));
          sliceStart = now;
        }
      }
      rest = buffer.slice(start);
    }
    const verdict = checker.end();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (verdict._tag !== 'Conforms') throw new Error('bench trace does not conform');
    const cpuRate = lines / ((cpu.user + cpu.system) / 1e6);
    return {
      name: 'trace check',
      size: `${(text.length / 2 ** 20).toFixed(0)} MiB`,
      event: 'line',
      events: lines,
      seconds,
      best,
      notes: `relspec check path; ${Math.round(cpuRate).toLocaleString('en-US')} lines per CPU second`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const lines = Number(process.argv[2] ?? 1_000_000);
  const r = await benchTrace({ lines });
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    `${r.name}: ${fmt(r.events)} ${r.event}s (${r.size}) in ${r.seconds.toFixed(2)} s = ${fmt(r.events / r.seconds)} lines/s, best slice ${fmt(r.best ?? 0)} lines/s; ${r.notes}\n`,
  );
}
