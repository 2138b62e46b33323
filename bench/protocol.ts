import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { REFERENCE_COMMAND } from '../src/cli/commands/conform.ts';
import { startClient } from '../src/runner/client.ts';
import { checkHello } from '../src/runner/hello.ts';
import type { Request } from '../src/runner/response.ts';
import type { BenchRow } from './row.ts';

// Protocol throughput: the conformance runner (src/runner) driving
// `relspec serve` as a child process, requests pipelined in windows as
// `conform` sends a scenario. The mix is the one a scenario has: watcher
// changes, empty/next/pop, Validate. State directory ops are left out so
// that the figure is about the protocol path, not the disk.
// bench/main.ts lists it as `{ name: 'protocol', run: () => benchProtocol() }`.

const WINDOW = 2_000;
const SLICE = 20_000;

/** One agent cycle on source `s`: a unit joins, its two hooks are validated and popped. */
const cycle = (n: number): Request[] => {
  const unit = `mysql/${n}`;
  const state = { relationId: 7, members: {}, changedPending: '' };
  const joined = { kind: 'relation-joined', relationId: 7, remoteUnit: unit, changeVersion: n };
  return [
    {
      op: 'source.update',
      source: 's',
      change: { changed: { [unit]: { version: n } }, departed: [] },
    },
    { op: 'source.empty', source: 's' },
    { op: 'source.next', source: 's' },
    { op: 'validate', state, hook: joined },
    { op: 'source.pop', source: 's' },
    { op: 'source.next', source: 's' },
    { op: 'source.pop', source: 's' },
    { op: 'source.update', source: 's', change: { changed: {}, departed: [unit] } },
    { op: 'source.next', source: 's' },
    { op: 'source.pop', source: 's' },
  ];
};

export const benchProtocol = async (options: { requests?: number } = {}): Promise<BenchRow> => {
  const wanted = options.requests ?? 200_000;
  const client = startClient({ command: REFERENCE_COMMAND, timeoutMs: 30_000 });
  const hello = await checkHello(client);
  if (E.isLeft(hello)) throw new Error(hello.left);
  const start = await client.call({
    op: 'source.live',
    source: 's',
    state: { relationId: 7, members: {}, changedPending: '' },
  });
  if (E.isLeft(start)) throw new Error('source.live failed');
  // The first change of a live source is its snapshot.
  await client.call({ op: 'source.update', source: 's', change: { changed: {}, departed: [] } });

  let sent = 0;
  let n = 0;
  let best = 0;
  let sliceStart = performance.now();
  let sliceCount = 0;
  const t0 = performance.now();
  // Two windows in flight: the runner reads one while serve answers the next.
  const inFlight: Promise<number>[] = [];
  const settle = async (answers: ReturnType<typeof client.callAll>): Promise<number> => {
    const got = await answers;
    if (E.isLeft(got)) throw new Error(`protocol bench: ${JSON.stringify(got.left)}`);
    for (const r of got.right) {
      if (!r.ok || 'error' in r.result) throw new Error(`unexpected answer ${JSON.stringify(r)}`);
    }
    return got.right.length;
  };
  const account = (count: number) => {
    sliceCount += count;
    if (sliceCount >= SLICE) {
      const now = performance.now();
      best = Math.max(best, (sliceCount * 1000) / (now - sliceStart));
      sliceStart = now;
      sliceCount = 0;
    }
  };
  while (sent < wanted) {
    const batch: Request[] = [];
    while (batch.length < WINDOW) batch.push(...cycle(n++));
    inFlight.push(settle(client.callAll(batch)));
    sent += batch.length;
    if (inFlight.length >= 2) account(await (inFlight.shift() as Promise<number>));
  }
  for (const pending of inFlight) account(await pending);
  const seconds = (performance.now() - t0) / 1000;
  await client.close();
  return {
    name: 'protocol (runner -> relspec serve)',
    size: `window ${WINDOW}`,
    event: 'request',
    events: sent,
    seconds,
    best,
    notes:
      'pipelined JSON Lines over pipes; update/empty/next/pop/validate mix; target >= 20,000/s',
  };
};

// Run alone: `npx tsx bench/protocol.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const row = await benchProtocol();
  console.log(
    `${row.name}: ${Math.round(row.events / row.seconds)} requests/s (${row.events} in ${row.seconds.toFixed(2)} s, best slice ${Math.round(row.best ?? 0)}/s)`,
  );
}
