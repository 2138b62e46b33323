import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { parseJson, stringifyJson } from '../../src/model/json.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

// Only a guard: a server that makes no progress (no output line) for this
// long while a test waits on it is killed, so that a broken server fails its
// test instead of hanging the whole run. Generous, because starting several
// servers on a loaded machine can take tens of seconds.
const STUCK_MS = 180_000;

/**
 * `relspec serve` as a child process, driven the way another
 * implementation's runner drives it: lines in, lines out. Every wait is on
 * the child's output or exit. The child keeps the test process alive only
 * while a test waits on it: a child left behind by a failed test does not
 * hang the run (it ends on its own when the test process closes its stdin).
 */
export interface Served {
  /** Write raw text to the child's stdin. */
  readonly write: (text: string) => void;
  /** The next stdout line, or undefined once stdout has ended. */
  readonly line: () => Promise<string | undefined>;
  /** Send one request (any value, bigint versions allowed) and parse its response. */
  readonly call: (request: unknown) => Promise<Record<string, unknown>>;
  readonly endInput: () => void;
  readonly exit: Promise<Exit>;
  readonly stderr: () => string;
}

export const serve = (): Served => {
  const child = spawn(process.execPath, ['bin/relspec.js', 'serve'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let guard: NodeJS.Timeout | undefined;
  const ready: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (l) => {
    guard?.refresh();
    const w = waiting.shift();
    if (w === undefined) ready.push(l);
    else w(l);
  });
  rl.on('close', () => {
    closed = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  // A child that is gone makes writes fail; the test sees it through line().
  child.stdin.on('error', () => {});
  const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as {
    ref(): void;
    unref(): void;
  }[];
  let holds = 0;
  const hold = () => {
    holds += 1;
    if (holds > 1) return;
    for (const h of handles) h.ref();
    guard = setTimeout(() => child.kill('SIGKILL'), STUCK_MS);
  };
  const release = () => {
    holds -= 1;
    if (holds > 0) return;
    for (const h of handles) h.unref();
    clearTimeout(guard);
  };
  const held = <A>(wait: Promise<A>): Promise<A> => {
    hold();
    return wait.finally(release);
  };
  for (const h of handles) h.unref();
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = (): Promise<string | undefined> => {
    if (ready.length > 0) return Promise.resolve(ready.shift());
    if (closed) return Promise.resolve(undefined);
    return held(new Promise((resolve) => waiting.push(resolve)));
  };
  const write = (text: string) => {
    child.stdin.write(text);
  };
  const call = async (request: unknown): Promise<Record<string, unknown>> => {
    write(`${stringifyJson(request)}\n`);
    const text = await line();
    if (text === undefined) throw new Error(`serve ended; stderr: ${stderr}`);
    return parse(text);
  };
  return {
    write,
    line,
    call,
    endInput: () => child.stdin.end(),
    get exit() {
      return held(exited);
    },
    stderr: () => stderr,
  };
};

/** Parse a response line losslessly (versions come back as bigint beyond 2^53). */
export const parse = (text: string): Record<string, unknown> => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) throw new Error(`not JSON: ${text}`);
  return parsed.right as Record<string, unknown>;
};
