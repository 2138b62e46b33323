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
  /** Ends the tracing only; the implementation runs on. */
  readonly detach: () => Promise<void>;
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

/** A running implementation that has answered `hello`, and the pid of its process tree's root. */
export interface Implementation {
  readonly client: Client;
  readonly root: number;
}

/** Starts the implementation and checks `hello`. */
export const startImplementation = async (
  options: RunOptions,
  dir: string,
): Promise<E.Either<string, Implementation>> => {
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
  return E.right({ client, root: Number(fs.readFileSync(pidFile, 'utf8').trim()) });
};

/**
 * Attaches strace to every process of a running implementation (and their
 * threads) and waits until each thread is traced. `detach` lets the
 * implementation run on untraced (the I/O error phase reuses it).
 */
export const attachTrace = async (
  impl: Implementation,
  log: string,
  injection?: Injection,
): Promise<E.Either<string, Traced>> => {
  const { client } = impl;
  const pids = processTree(impl.root);
  const threads = pids.flatMap(threadsOf);
  let stderr = '';
  const strace = spawn('strace', straceArgs(log, pids, injection), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  strace.stderr?.setEncoding('utf8');
  strace.stderr?.on('data', (d: string) => {
    stderr += d;
  });
  const ended = async () => {
    const done = await Promise.race([exited(strace).then(() => true), sleep(30000)]);
    if (!done) strace.kill('SIGKILL');
    await exited(strace);
  };
  const finish = async (kill = false) => {
    if (kill) client.kill();
    else await client.close();
    client.kill();
    await ended();
  };
  const detach = async () => {
    strace.kill('SIGINT');
    await ended();
  };
  // Attached when every thread names strace as its tracer.
  for (let waited = 0; ; waited += 20) {
    if (strace.exitCode !== null || strace.signalCode !== null) {
      return E.left(
        `strace could not attach to the implementation: ${stderr.trim().split('\n')[0] ?? 'it exited'}`,
      );
    }
    if (threads.every((t) => tracer(t) === strace.pid || tracer(t) === undefined)) break;
    if (waited > 20000) {
      await detach();
      return E.left('strace did not attach to the implementation within 20 s');
    }
    await sleep(20);
  }
  return E.right({ client, threads, finish, detach });
};

/** Starts the implementation and attaches strace to it once it has answered `hello`. */
export const startTraced = async (
  options: RunOptions,
  dir: string,
  log: string,
  injection?: Injection,
): Promise<E.Either<string, Traced>> => {
  const impl = await startImplementation(options, dir);
  if (E.isLeft(impl)) return impl;
  const traced = await attachTrace(impl.right, log, injection);
  if (E.isLeft(traced)) impl.right.client.kill();
  return traced;
};

/**
 * One implementation kept running across injection runs whose points it
 * survives (a failed call answers a domain error): each run attaches
 * strace to it, then detaches. A dead one is replaced.
 */
export interface Reuse {
  readonly get: () => Promise<E.Either<string, Implementation>>;
  readonly close: () => Promise<void>;
}

export const reuse = (options: RunOptions, root: string): Reuse => {
  let current: Implementation | undefined;
  return {
    get: async () => {
      if (current !== undefined && current.client.failure() === undefined) return E.right(current);
      current?.client.kill();
      current = undefined;
      const started = await startImplementation(options, fs.mkdtempSync(path.join(root, 'impl-')));
      if (E.isRight(started)) current = started.right;
      return started;
    },
    close: async () => {
      if (current !== undefined) await current.client.close();
      current?.client.kill();
      current = undefined;
    },
  };
};
