import * as os from 'node:os';
import { benchConform } from './conform.ts';
import { benchCrash } from './crash.ts';
import { benchLivePair } from './live.ts';
import { benchProtocol } from './protocol.ts';
import { type BenchCase, type BenchRow, perSecond } from './row.ts';
import { benchStartup } from './startup.ts';
import { benchTrace } from './trace.ts';

// `npm run bench [-- <filter>]`: runs every case whose name contains the
// filter and prints one table. To add a case, add one entry to CASES.

const CASES: readonly BenchCase[] = [
  { name: 'live 10^4', run: () => benchLivePair(10_000, 261) },
  { name: 'live 10^5', run: () => benchLivePair(100_000, 416) },
  { name: 'trace check 10^6', run: () => benchTrace({ lines: 1_000_000 }) },
  { name: 'protocol', run: () => benchProtocol() },
  { name: 'serve start-up', run: () => benchStartup() },
  { name: 'conform jobs', run: () => benchConform() },
  { name: 'crash points all', run: () => benchCrash() },
];

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const table = (rows: readonly BenchRow[]): string => {
  const header = [
    'case',
    'size',
    'events',
    'seconds',
    'events/s',
    'events/CPU-s',
    'best slice/s',
    'vs anchor',
    'notes',
  ];
  const body = rows.map((r) => [
    r.name,
    r.size,
    `${fmt(r.events)} ${r.event}s`,
    r.seconds.toFixed(2),
    fmt(perSecond(r)),
    r.cpuSeconds === undefined ? '-' : fmt(r.events / r.cpuSeconds),
    r.best === undefined ? '-' : fmt(r.best),
    r.anchor ?? '-',
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
};

const main = async (): Promise<void> => {
  const filter = process.argv[2] ?? '';
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`relspec bench, ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpu} (${os.cpus().length} CPUs), ${os.platform()} ${os.arch()}`,
  );
  // The machine's load matters: events/s is wall time, the best slice is
  // what the code does when it has a CPU to itself.
  const load = os.loadavg().map((n) => n.toFixed(1));
  console.log(`load average at start: ${load.join(' ')}`);
  console.log('');
  const rows: BenchRow[] = [];
  // A case that cannot run says why and makes the run fail; the others still print.
  const broken: string[] = [];
  for (const c of CASES.filter((k) => k.name.includes(filter))) {
    try {
      rows.push(...[await c.run()].flat());
    } catch (e) {
      broken.push(`${c.name}: NOT RUN: ${(e as Error).message}`);
    }
  }
  console.log(table(rows));
  if (broken.length > 0) {
    console.log(['', ...broken].join('\n'));
    process.exitCode = 1;
  }
};

await main();
