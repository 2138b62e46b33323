import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Image } from '../statedir/powercut/image.ts';
import { startTraced } from './attach.ts';
import { describeOutcome, domainError, type Result, send, stepId } from './drive.ts';
import { type FileCall, fileCalls } from './fileCalls.ts';
import { type Scenario, type Step, stepRequest } from './scenario.ts';
import { snapshotDir } from './snapshot.ts';
import { parseStraceLog, type Syscall, unhex } from './straceLog.ts';

/** One request of the recorded run: the disk before and after it, and its mutating calls. */
export interface StepRecord {
  readonly index: number;
  readonly step: Step;
  readonly result: Result;
  readonly before: Image;
  readonly after: Image;
  readonly calls: readonly FileCall[];
}

export interface Recording {
  /** The base directory the recorded paths are under. */
  readonly base: string;
  readonly steps: readonly StepRecord[];
  /** Every mutating call of the run, in order (what a `when=` is corrected against). */
  readonly calls: readonly FileCall[];
}

export interface RunOptions {
  /** Shell command starting the implementation. */
  readonly command: string;
  readonly timeoutMs: number;
  readonly cwd: string;
}

/** The request ids that a write on stdout answers (`{"id":1004,...}`). */
const answeredIds = (call: Syscall): number[] => {
  if (call.name !== 'write' && call.name !== 'writev') return [];
  if (!/^1(<|$)/.test(call.args[0] ?? '')) return [];
  const text = new TextDecoder().decode(
    unhex(
      call.args
        .slice(1)
        .map((a) => [...a.matchAll(/"((?:\\x[0-9a-f]{2})*)"/g)].map((m) => m[1]).join(''))
        .join(''),
    ),
  );
  return [...text.matchAll(/"id"\s*:\s*(\d+)/g)].map((m) => Number(m[1]));
};

/**
 * The log position where each request's answer was written: the calls
 * after the previous answer and up to this one belong to the request
 * (requests are sent one at a time).
 */
export const answerPositions = (log: readonly Syscall[], count: number): (number | undefined)[] => {
  const at: (number | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const c of log) {
    for (const id of answeredIds(c)) {
      const i = id - stepId(0);
      if (i >= 0 && i < count && at[i] === undefined) at[i] = c.seq;
    }
  }
  return at;
};

/** Splits the base's mutating calls by request. */
export const callsByStep = (
  calls: readonly FileCall[],
  answers: readonly (number | undefined)[],
): FileCall[][] => {
  const out: FileCall[][] = answers.map(() => []);
  let from = -1;
  answers.forEach((to, i) => {
    if (to === undefined) return;
    (out[i] as FileCall[]).push(...calls.filter((c) => c.seq > from && c.seq <= to));
    from = to;
  });
  return out;
};

/** A fresh work directory with an empty base inside. */
export const freshBase = (root: string, name: string): { dir: string; base: string } => {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  const base = path.join(dir, 'base');
  fs.mkdirSync(base);
  return { dir, base };
};

/**
 * The base of a traced run: always `<root>/base`, emptied, so that every
 * run names the same paths (messages and replay files compare them).
 * Traced runs are therefore one at a time. The log gets a directory of its own.
 */
export const tracedBase = (root: string, name: string): { dir: string; base: string } => {
  const base = path.join(root, 'base');
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base);
  return { dir: fs.mkdtempSync(path.join(root, `${name}-`)), base };
};

/**
 * Runs the scenario once under strace, one request at a time, snapshotting
 * the base around each request; maps each mutating call to its request.
 */
export const record = async (
  options: RunOptions,
  scenario: Scenario,
  root: string,
): Promise<E.Either<string, Recording>> => {
  const { dir, base } = tracedBase(root, 'record');
  const log = path.join(dir, 'strace.log');
  const traced = await startTraced(options, dir, log);
  if (E.isLeft(traced)) return traced;
  const { client, threads, finish } = traced.right;
  const partial: Omit<StepRecord, 'calls'>[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    const before = snapshotDir(base);
    const outcome = await send(client, { ...stepRequest(step, base), id: stepId(index) });
    if (outcome._tag !== 'Result' || domainError(outcome) !== undefined) {
      await finish(true);
      return E.left(
        `the recording run failed at request ${index + 1} (${step.op}): ${describeOutcome(outcome)}`,
      );
    }
    partial.push({ index, step, result: outcome.result, before, after: snapshotDir(base) });
  }
  await finish();
  const parsed = parseStraceLog(fs.readFileSync(log, 'utf8'));
  const answers = answerPositions(parsed, scenario.steps.length);
  const missing = answers.indexOf(undefined);
  if (missing !== -1) {
    return E.left(
      `cannot map the trace to requests: no write of the answer to request ${missing + 1} on stdout was traced`,
    );
  }
  const calls = fileCalls(parsed, base, options.cwd, threads);
  const split = callsByStep(calls, answers);
  return E.right({
    base,
    calls,
    steps: partial.map((p, i) => ({ ...p, calls: split[i] ?? [] })),
  });
};
