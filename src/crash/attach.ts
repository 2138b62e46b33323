import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { type Client, startClient } from '../runner/client.ts';
import { checkHello } from '../runner/hello.ts';
import type { RunOptions } from './record.ts';
import { type Injection, straceArgs } from './strace.ts';

// The implementation is started as usual and strace attaches to it once it
// has answered `hello`: its start (module loading, compilers, caches) is
// then not traced, so the calls strace counts for `when=` are the ones the
// requests cause, the same from run to run.

export interface Traced {
  readonly client: Client;
  /** The thread ids traced from the start, in a stable order (for fileCalls). */
  readonly threads: readonly number[];
  /** Ends the run: closes (or kills) the implementation and waits for strace to write its log. */
  readonly finish: (kill?: boolean) => Promise<void>;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const sleep = (ms: number) =>
  new Promise((r) => {
    // Never keeps the process alive on its own.
    setTimeout(r, ms).unref();
  });

/** Every process under `root` (itself first), by parent links in /proc. */
export const processTree = (root: number): number[] => {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of (parents.get(pid) ?? []).sort((a, b) => a - b)) walk(c);
  };
  walk(root);
  return out;
};

const threadsOf = (pid: number): number[] => {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
};

const tracer = (tid: number): number | undefined => {
  try {
    const m = /^TracerPid:\s*(\d+)/m.exec(fs.readFileSync(`/proc/${tid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
};

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/**
 * Starts the implementation, checks `hello`, then attaches strace to every
 * process of it (and their threads) and waits until each thread is traced.
 */
export const startTraced = async (
  options: RunOptions,
  dir: string,
  log: string,
  injection?: Injection,
): Promise<E.Either<string, Traced>> => {
  const pidFile = path.join(dir, 'pid');
  const client = startClient({
    command: `echo $$ > ${quote(pidFile)}; exec sh -c ${quote(options.command)}`,
    timeoutMs: options.timeoutMs,
    cwd: options.cwd,
  });
  const hello = await checkHello(client, ['statedir']);
  if (E.isLeft(hello)) {
    client.kill();
    return E.left(hello.left);
  }
  const root = Number(fs.readFileSync(pidFile, 'utf8').trim());
  const pids = processTree(root);
  const threads = pids.flatMap(threadsOf);
  let stderr = '';
  const strace = spawn('strace', straceArgs(log, pids, injection), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  strace.stderr?.setEncoding('utf8');
  strace.stderr?.on('data', (d: string) => {
    stderr += d;
  });
  const finish = async (kill = false) => {
    if (kill) client.kill();
    else await client.close();
    client.kill();
    const done = await Promise.race([exited(strace).then(() => true), sleep(30000)]);
    if (!done) strace.kill('SIGKILL');
    await exited(strace);
  };
  // Attached when every thread names strace as its tracer.
  for (let waited = 0; ; waited += 20) {
    if (strace.exitCode !== null || strace.signalCode !== null) {
      client.kill();
      return E.left(
        `strace could not attach to the implementation: ${stderr.trim().split('\n')[0] ?? 'it exited'}`,
      );
    }
    if (threads.every((t) => tracer(t) === strace.pid || tracer(t) === undefined)) break;
    if (waited > 20000) {
      await finish(true);
      return E.left('strace did not attach to the implementation within 20 s');
    }
    await sleep(20);
  }
  return E.right({ client, threads, finish });
};
