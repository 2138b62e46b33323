import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { parseJson, stringifyJson } from '../model/json.ts';
import type { RunnerError } from './errors.ts';
import { byteLineSplitter, lastLines } from './lines.ts';
import { groupAlive, killProcessGroup, trackGroup } from './reaper.ts';
import { decodeResponse, type Request, type Response } from './response.ts';

export interface ClientOptions {
  /** A shell command line, e.g. `node bin/relspec.js serve` or `./my-impl --flag`. */
  readonly command: string;
  /** How long the oldest unanswered request may wait, in milliseconds. */
  readonly timeoutMs: number;
  readonly cwd?: string;
  /** How many stderr lines to keep for error reports. */
  readonly stderrLines?: number;
  /** The longest response line accepted, in bytes (default DEFAULT_MAX_LINE_BYTES). */
  readonly maxLineBytes?: number;
  /** The most stdout bytes accepted between two `resetOutputBudget` calls (default DEFAULT_MAX_OUTPUT_BYTES). */
  readonly maxOutputBytes?: number;
}

/** A response line is a few hundred bytes; a few MiB is room for any honest one. */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

/** What one scenario may print in all. */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** How the implementation ended, once it has. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

/**
 * A running implementation under test. Requests may be issued without
 * waiting (pipelining): they are written in order, batched per tick, and the
 * n-th response line answers the n-th request. The first failure (timeout,
 * death, unreadable line) is final: it answers every pending and later call.
 */
export interface Client {
  /** Send one request; resolves with its response or with the runner's verdict. */
  readonly call: (request: Request, timeoutMs?: number) => Promise<E.Either<RunnerError, Response>>;
  /** Send all requests at once, then collect the responses in order. */
  readonly callAll: (
    requests: readonly Request[],
  ) => Promise<E.Either<RunnerError, readonly Response[]>>;
  /** Say `bye`, wait for the exit (killing the process group if it lingers). */
  readonly close: () => Promise<ExitInfo | null>;
  /** Kill the whole process group now. */
  readonly kill: () => void;
  /** The verdict that ended the session, if any. */
  readonly failure: () => RunnerError | undefined;
  /** The last lines the implementation wrote on stderr. */
  readonly stderr: () => readonly string[];
  /**
   * Resolves once nothing is in flight: every request answered, or (after a
   * failure) the process group killed and the process gone. Only then may
   * the caller touch the directories the requests named.
   */
  readonly idle: () => Promise<void>;
  /** Start counting output afresh (a new scenario begins). */
  readonly resetOutputBudget: () => void;
  /** How many requests were answered (hello included). */
  readonly answered: () => number;
}

interface Pending {
  readonly id: number;
  readonly op: string;
  readonly timeoutMs: number;
  readonly resolve: (r: E.Either<RunnerError, Response>) => void;
}

/** Start the implementation (through a shell, in its own process group). */
export const startClient = (options: ClientOptions): Client => {
  const stderrTail = lastLines(options.stderrLines ?? 20);
  let child: ChildProcessWithoutNullStreams;
  let failure: RunnerError | undefined;
  let exitInfo: ExitInfo | null = null;
  let closing = false;
  let nextId = 1;
  // The pending requests, oldest first; `head` avoids O(n) shifts.
  let pending: Pending[] = [];
  let head = 0;
  let outbox: string[] = [];
  let flushScheduled = false;
  // When the oldest pending request started waiting (sent, or previous answered).
  let headSince = 0;
  let timer: NodeJS.Timeout | undefined;
  const exitWaiters: ((info: ExitInfo | null) => void)[] = [];
  const idleWaiters: (() => void)[] = [];
  const notifyIdle = () => {
    for (const w of idleWaiters.splice(0)) w();
  };

  const pendingCount = () => pending.length - head;

  // The group outlives the child when a grandchild holds on: it is killed
  // whatever the child did, until it is known to be empty (then its id may
  // be reused, and is left alone).
  let groupGone = false;
  let untrack = () => {};
  const killGroup = () => {
    const pid = child?.pid;
    if (pid === undefined || groupGone) return;
    if (!killProcessGroup(pid)) {
      groupGone = true;
      untrack();
    }
    if (exitInfo === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };

  const fail = (error: RunnerError) => {
    if (failure !== undefined) return;
    failure = error;
    if (timer !== undefined) clearTimeout(timer);
    const waiting = pending.slice(head);
    pending = [];
    head = 0;
    for (const p of waiting) p.resolve(E.left(error));
    killGroup();
    notifyIdle();
  };

  try {
    child = spawn(options.command, {
      shell: true,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
  } catch (e) {
    failure = { _tag: 'SpawnFailed', command: options.command, message: (e as Error).message };
    child = undefined as unknown as ChildProcessWithoutNullStreams;
  }
  if (child?.pid !== undefined) untrack = trackGroup(child.pid);
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  let outputBytes = 0;
  let answeredCount = 0;

  const armTimer = () => {
    if (timer !== undefined || failure !== undefined) return;
    timer = setTimeout(onTimer, options.timeoutMs);
  };

  // One timer for the whole queue, re-armed lazily: answering a request only
  // moves `headSince`, so a fast implementation costs no timer churn.
  function onTimer() {
    timer = undefined;
    if (failure !== undefined || pendingCount() === 0) return;
    const waited = performance.now() - headSince;
    const oldest = pending[head] as Pending;
    if (waited >= oldest.timeoutMs) {
      fail({
        _tag: 'Timeout',
        op: oldest.op,
        id: oldest.id,
        ms: oldest.timeoutMs,
        stderr: stderrTail.lines(),
      });
      return;
    }
    // Never sleep longer than the default timeout: the head may change to a
    // request with a shorter one (after a slow start, say) before we wake.
    timer = setTimeout(
      onTimer,
      Math.max(1, Math.min(oldest.timeoutMs - waited, options.timeoutMs)),
    );
  }

  const tooMuch = (kind: 'line' | 'output', limit: number) => {
    const oldest = pending[head];
    fail({
      _tag: 'TooMuchOutput',
      kind,
      limit,
      ...(oldest === undefined ? {} : { id: oldest.id, op: oldest.op }),
      stderr: stderrTail.lines(),
    });
  };

  const onLine = (raw: string) => {
    if (failure !== undefined) return;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const bad = (reason: string) =>
      fail({ _tag: 'BadResponse', line, reason, stderr: stderrTail.lines() });
    const expected = pending[head];
    if (expected === undefined) return bad('no request is waiting for a response');
    const parsed = parseJson(line);
    if (E.isLeft(parsed)) return bad(`not JSON: ${parsed.left.message}`);
    const decoded = decodeResponse(parsed.right);
    if (E.isLeft(decoded)) return bad(decoded.left.problems.join('; '));
    const response = decoded.right;
    // A request that could not be read at all may be answered with id null.
    if (response.id !== expected.id && !(response.id === null && !response.ok)) {
      return bad(`answers id ${response.id} but request ${expected.id} is the oldest unanswered`);
    }
    head += 1;
    if (head === pending.length) {
      pending = [];
      head = 0;
    } else if (head > 1024 && head * 2 > pending.length) {
      pending = pending.slice(head);
      head = 0;
    }
    headSince = performance.now();
    answeredCount += 1;
    expected.resolve(E.right(response));
    if (pendingCount() === 0) notifyIdle();
  };

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (timer !== undefined) clearTimeout(timer);
    if (failure === undefined && (pendingCount() > 0 || !closing)) {
      fail({
        _tag: 'Died',
        code: exitInfo?.code ?? null,
        signal: exitInfo?.signal ?? null,
        pending: pendingCount(),
        stderr: stderrTail.lines(),
      });
    }
    // Whatever the child left running goes with it, and so do our ends of
    // its pipes: a grandchild holding them must not keep this process up.
    killGroup();
    child.stdout.destroy();
    child.stderr.destroy();
    child.stdin.destroy();
    if (!groupAlive(child.pid as number)) untrack();
    for (const w of exitWaiters.splice(0)) w(exitInfo);
  };

  if (child !== undefined) {
    const splitter = byteLineSplitter(maxLine, onLine, () => tooMuch('line', maxLine));
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      outputBytes += chunk.length;
      if (outputBytes > maxOutput) tooMuch('output', maxOutput);
      else splitter.push(chunk);
    });
    child.stderr.on('data', (chunk: string) => stderrTail.push(chunk));
    // A closed stdin (the implementation died) shows up as EPIPE here; the
    // exit handler gives the verdict.
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      fail({ _tag: 'SpawnFailed', command: options.command, message: e.message });
      finish();
    });
    let stdoutEnded = false;
    let exited = false;
    child.stdout.on('end', () => {
      stdoutEnded = true;
      if (exited) finish();
    });
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      exited = true;
      // Read what is still buffered on stdout before judging; a grandchild
      // holding stdout open must not keep us waiting.
      if (stdoutEnded) finish();
      else setTimeout(finish, 200).unref();
    });
  }

  const flush = () => {
    flushScheduled = false;
    if (failure !== undefined || outbox.length === 0) return;
    const text = outbox.join('');
    outbox = [];
    child.stdin.write(text);
  };

  const call = (
    request: Request,
    timeoutMs: number = options.timeoutMs,
  ): Promise<E.Either<RunnerError, Response>> => {
    if (failure !== undefined) return Promise.resolve(E.left(failure));
    if (closing) {
      return Promise.resolve(E.left({ _tag: 'Closed', message: 'the session is closed' }));
    }
    const id = typeof request.id === 'number' ? request.id : nextId++;
    const line = `${stringifyJson({ ...request, id })}\n`;
    return new Promise((resolve) => {
      if (pendingCount() === 0) headSince = performance.now();
      pending.push({ id, op: String(request.op), timeoutMs, resolve });
      outbox.push(line);
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flush);
      }
      armTimer();
    });
  };

  const callAll = async (
    requests: readonly Request[],
  ): Promise<E.Either<RunnerError, readonly Response[]>> => {
    const answers = await Promise.all(requests.map((r) => call(r)));
    const responses: Response[] = [];
    for (const a of answers) {
      if (E.isLeft(a)) return a;
      responses.push(a.right);
    }
    return E.right(responses);
  };

  const close = async (): Promise<ExitInfo | null> => {
    if (exitInfo !== null || child === undefined) return exitInfo;
    const exited = new Promise<ExitInfo | null>((resolve) => exitWaiters.push(resolve));
    if (failure === undefined) {
      const bye = call({ op: 'bye' });
      closing = true;
      await bye;
      child.stdin.end();
    }
    const grace = setTimeout(killGroup, Math.min(options.timeoutMs, 2000));
    const info = await exited;
    clearTimeout(grace);
    return info;
  };

  const idle = async (): Promise<void> => {
    if (child === undefined) return;
    if (failure === undefined && pendingCount() > 0) {
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    }
    if (failure === undefined || finished) return;
    await new Promise<ExitInfo | null>((resolve) => exitWaiters.push(resolve));
  };

  return {
    call,
    callAll,
    close,
    kill: killGroup,
    failure: () => failure,
    stderr: () => stderrTail.lines(),
    idle,
    resetOutputBudget: () => {
      outputBytes = 0;
    },
    answered: () => answeredCount,
  };
};

/** A session that is over before it starts: every call answers `error`. */
export const failedClient = (error: RunnerError): Client => ({
  call: async () => E.left(error),
  callAll: async () => E.left(error),
  close: async () => null,
  kill: () => {},
  failure: () => error,
  stderr: () => [],
  idle: async () => {},
  resetOutputBudget: () => {},
  answered: () => 0,
});
