import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkTraceChunks, createTraceChecker } from '../src/check/checker.ts';
import { byteLines, type OnLine } from '../src/check/lines.ts';
import { fileChunks } from '../src/check/read.ts';
import { syntheticTrace, traceLine } from '../src/check/synthetic.ts';
import type { BenchRow } from './row.ts';

// Trace checking throughput, beside its anchor: `relspec check`'s own path
// (checkTraceChunks over fileChunks: the file read in 1 MiB chunks, split
// at LF in the buffer, each line scanned or decoded, the monitor fed) and a
// bare streaming loop over the same file, read by the same code, that
// decodes it, splits it and JSON.parses every line, and nothing else.
// Both run ROUNDS times, interleaved, so a busy machine slows them alike;
// the fastest round of each is reported.

const ROUNDS = 5;

/** Hand every line of `file` (its bytes, without the LF) to `f`, as `relspec check` reads it. */
const eachLine = async (file: string, f: OnLine): Promise<void> => {
  const lines = byteLines(f);
  for await (const chunk of fileChunks(file)) lines.push(chunk);
  lines.end();
};

interface Timed {
  readonly lines: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

const timed = async (run: () => Promise<number>): Promise<Timed> => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const lines = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { lines, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
};

// The fastest honest bare loop measured here: each chunk decoded once, up to
// its last LF (a character boundary in UTF-8), the bytes after it carried
// over, the text split at LF and every line JSON.parsed.
const bare = (file: string) =>
  timed(async () => {
    let lines = 0;
    let carry = Buffer.alloc(0);
    const parse = (text: string) => {
      let start = 0;
      for (let stop = text.indexOf('\n'); stop >= 0; stop = text.indexOf('\n', start)) {
        JSON.parse(text.slice(start, stop));
        lines++;
        start = stop + 1;
      }
      if (start < text.length) {
        JSON.parse(text.slice(start));
        lines++;
      }
    };
    for await (const chunk of fileChunks(file)) {
      const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const last = b.lastIndexOf(0x0a);
      if (last < 0) {
        carry = Buffer.concat([carry, b]);
        continue;
      }
      parse(carry.toString('utf8') + b.toString('utf8', 0, last + 1));
      carry = Buffer.from(b.subarray(last + 1));
    }
    if (carry.length > 0) parse(carry.toString('utf8'));
    return lines;
  });

const check = (file: string) =>
  timed(async () => {
    const verdict = await checkTraceChunks(fileChunks(file));
    if (verdict._tag !== 'Conforms') throw new Error(`bench trace: ${JSON.stringify(verdict)}`);
    return verdict.lines;
  });

/** A full garbage collection, so that heap figures count live objects only. */
const collect = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
};

/** Heap bytes the checker holds after reading the whole file, per distinct unit name in it. */
const bytesPerUnit = async (file: string, units: number): Promise<number> => {
  const gc = collect();
  gc();
  const before = process.memoryUsage().heapUsed;
  const checker = createTraceChecker();
  await eachLine(file, (b, start, end) => checker.bytes(b, start, end) === undefined);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (checker.end()._tag !== 'Conforms') throw new Error('bench trace does not conform');
  return (after - before) / units;
};

const fastest = (runs: readonly Timed[]): Timed =>
  runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

const rate = (t: Timed): number => t.lines / t.seconds;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const benchTrace = async (options: { lines?: number } = {}): Promise<BenchRow[]> => {
  const wanted = options.lines ?? 1_000_000;
  const dir = await mkdtemp(join(tmpdir(), 'relspec-bench-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const out: string[] = [];
    const names = new Set<string>();
    for (const e of syntheticTrace(wanted, 1)) {
      out.push(traceLine(e));
      if (e.type === 'hook') names.add(e.hook.remoteUnit);
      if (e.type === 'change') for (const u of e.change.changed.keys()) names.add(u);
    }
    const text = `${out.join('\n')}\n`;
    out.length = 0;
    await writeFile(file, text);
    const perUnit = await bytesPerUnit(file, names.size);
    const bares: Timed[] = [];
    const checks: Timed[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bares.push(await bare(file));
      checks.push(await check(file));
    }
    const b = fastest(bares);
    const c = fastest(checks);
    if (b.lines !== c.lines)
      throw new Error(`bench trace: ${b.lines} lines parsed, ${c.lines} checked`);
    const size = `${(text.length / 2 ** 20).toFixed(0)} MiB`;
    return [
      {
        name: 'JSON.parse loop',
        size,
        event: 'line',
        events: b.lines,
        seconds: b.seconds,
        cpuSeconds: b.cpuSeconds,
        anchor: 'the anchor',
        notes: `the same file, read as relspec check does, decoded a chunk at a time, every line JSON.parsed; fastest of ${ROUNDS}`,
      },
      {
        name: 'trace check',
        size,
        event: 'line',
        events: c.lines,
        seconds: c.seconds,
        cpuSeconds: c.cpuSeconds,
        anchor: `${(rate(b) / rate(c)).toFixed(2)}x the parse loop's time (target <= 1.3x, >= 10^6 lines/s)`,
        notes: `relspec check path, interleaved with the parse loop; fastest of ${ROUNDS}; ${Math.round(perUnit)} heap bytes per distinct unit (${names.size} units)`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchTrace({ lines: Number(process.argv[2] ?? 1_000_000) })) {
    process.stdout.write(
      `${r.name}: ${fmt(r.events)} ${r.event}s (${r.size}) in ${r.seconds.toFixed(2)} s = ${fmt(r.events / r.seconds)} lines/s, ${fmt(r.events / (r.cpuSeconds ?? r.seconds))} per CPU-s; ${r.anchor}\n`,
    );
  }
}
