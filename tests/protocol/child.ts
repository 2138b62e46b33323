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

/**
 * `relspec serve` as a child process, driven the way another
 * implementation's runner drives it: lines in, lines out. Every wait is on
 * the child's output or exit, never on a timer.
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
  const ready: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (l) => {
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
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = (): Promise<string | undefined> => {
    if (ready.length > 0) return Promise.resolve(ready.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.push(resolve));
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
    exit,
    stderr: () => stderr,
  };
};

/** Parse a response line losslessly (versions come back as bigint beyond 2^53). */
export const parse = (text: string): Record<string, unknown> => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) throw new Error(`not JSON: ${text}`);
  return parsed.right as Record<string, unknown>;
};
