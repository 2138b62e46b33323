import * as E from 'fp-ts/lib/Either.js';
import { checkTrace } from '../../spec/model/monitor.ts';
import { TraceEvent } from '../../spec/trace.ts';
import { abstractBase } from '../fixtures/base.ts';
import { canonicalText } from '../fixtures/canonical.ts';
import { filesDrift, responseDrift } from '../fixtures/compare.ts';
import type { Files, Fixture, Response, StepMarks } from '../fixtures/fixture.ts';
import { type JudgeLevel, modeIn } from '../fixtures/judge.ts';
import { Marker } from '../fixtures/marks.ts';
import { wireRequest } from '../fixtures/replay.ts';
import { decodeWith } from '../model/decode.ts';
import type { RunnerError } from '../runner/errors.ts';
import { type Call, drive, type Exchange, type TraceLine, type Transcript } from './driver.ts';
import { clientCall } from './endpoint.ts';
import { snapshotFilesSync } from './files.ts';
import type { ImplPool } from './impl.ts';
import { judgeScenario, type ScenarioAdvisory } from './judge.ts';
import { reachedClauses } from './reach.ts';
import { renameHandles } from './replay.ts';
import { fixtureRuleClasses } from './ruleClass.ts';
import type { Scenario } from './scenario.ts';
import type { TempRoot } from './tmp.ts';

/** How an implementation's run of a scenario departs from what is required. */
export type Mismatch =
  /** A response differs from the reference's (1-based step of the fixture). */
  | { readonly _tag: 'Drift'; readonly step: number; readonly message: string }
  /** The state directory differs from the reference's at the end. */
  | { readonly _tag: 'Files'; readonly lines: readonly string[] }
  /** The implementation died, hung or wrote garbage during `step`. */
  | { readonly _tag: 'Runner'; readonly step: number; readonly error: RunnerError }
  /** The implementation's trace breaks a guarantee clause. */
  | {
      readonly _tag: 'Violation';
      readonly clause: string;
      readonly event: number;
      readonly explanation: string;
    }
  /** The reference has a domain error where the implementation has none (or the reverse). */
  | { readonly _tag: 'ErrorMissing'; readonly note: string; readonly message: string };

export interface Outcome {
  /** The reference's recording of the scenario, as a fixture. */
  readonly fixture: Fixture;
  readonly exchanges: readonly Exchange[];
  /** What the implementation answered, step by step (up to where it stopped). */
  readonly actual: readonly (Response | undefined)[];
  /** Clause and rule ids the scenario reached (on the reference). */
  readonly reached: ReadonlySet<string>;
  /** The implementation's trace (guarantees level, or after attribution). */
  readonly implTrace?: readonly TraceLine[];
  readonly mismatch?: Mismatch;
  /** Hardenings met (level exact): reported, not failed. */
  readonly advisories?: readonly ScenarioAdvisory[];
}

export interface CheckContext {
  readonly reference: () => Call;
  readonly impl: ImplPool;
  readonly tmp: TempRoot;
  /** Fixture ids of counterexamples: `conform-<seed>`. */
  readonly fixtureId: string;
  readonly origin: Fixture['origin'];
}

const decodeEvent = decodeWith(TraceEvent, 'trace event');

/** Run the guarantee monitor over a trace in its JSON form. */
export const monitorTrace = (
  trace: readonly TraceLine[],
): { clause: string; event: number; explanation: string } | undefined => {
  const events: TraceEvent[] = [];
  for (const [i, line] of trace.entries()) {
    const decoded = decodeEvent(line);
    if (E.isLeft(decoded)) {
      return { clause: 'T1', event: i, explanation: `malformed event: ${decoded.left.message}` };
    }
    events.push(decoded.right);
  }
  const verdict = checkTrace(events);
  if (verdict.ok) return undefined;
  const { clause, step, explanation } = verdict.violation;
  return { clause, event: step, explanation };
};

/** Fixture steps of exchanges with their rule-class marks (computed where `marks` has none). */
export const markedSteps = (
  exchanges: readonly Exchange[],
  marks: readonly StepMarks[] = [],
): Fixture['steps'] => {
  const marker = new Marker();
  return exchanges.map((x, i) => {
    const { errorText, ...m } = marks[i] ?? marker.mark(x.request, x.response);
    const mode = errorText ?? x.errorText;
    return {
      request: x.request,
      response: x.response,
      ...(mode === 'exact' ? {} : { errorText: mode }),
      ...m,
      note: `${x.note} [${x.rules.join(' ')}]`,
    };
  });
};

const toFixture = (
  ctx: CheckContext,
  scenario: Scenario,
  transcript: Transcript,
  files: Files,
  reached: ReadonlySet<string>,
  marks: readonly StepMarks[] = [],
): Fixture => {
  const clauses = [...reached].filter((id) => /^[A-Z][0-9]+[a-z]?$/.test(id)).sort();
  const rules = [...reached].filter((id) => /^[RQ]-/.test(id)).sort();
  const steps = markedSteps(transcript.exchanges, marks);
  return {
    id: ctx.fixtureId,
    title: `conform scenario on relation ${scenario.relationId} (${scenario.steps.length} steps)`,
    clauses,
    rules,
    ruleClasses: fixtureRuleClasses(rules, steps),
    origin: ctx.origin,
    steps,
    expectedFiles: files,
  };
};

/** Record the scenario on the in-process reference (in its own fresh base). */
const onReference = async (ctx: CheckContext, scenario: Scenario) => {
  const base = await ctx.tmp.fresh('ref');
  try {
    const played = await drive(scenario, ctx.reference(), base);
    if (E.isLeft(played)) {
      throw new Error(`the reference failed: ${JSON.stringify(played.left.error)}`);
    }
    const files = abstractBase(snapshotFilesSync(base), base) as Files;
    const transcript = played.right;
    const reached = new Set([
      ...reachedClauses(transcript.trace),
      ...transcript.exchanges.flatMap((x) => x.rules),
    ]);
    return {
      transcript,
      exchanges: transcript.exchanges,
      files,
      reached,
      fixture: toFixture(ctx, scenario, transcript, files, reached),
    };
  } finally {
    await ctx.tmp.release(base);
  }
};

const marked = (step: Fixture['steps'][number]): boolean =>
  step.undefined !== undefined ||
  step.hardening !== undefined ||
  step.retire !== undefined ||
  step.choice !== undefined;

/** What the reference answered to a list of requests: the expectation an implementation is held to. */
export interface Recording {
  readonly fixture: Fixture;
  readonly exchanges: readonly Exchange[];
  readonly reached: ReadonlySet<string>;
  readonly files: Files;
}

/**
 * Replay a recording on the implementation and compare every response and
 * the files: all requests at once (pipelined), or one at a time. Handle
 * names get `handlePrefix`, so that handles an earlier replay left in the
 * same process cannot be reached.
 */
export const compareRecording = async (
  ctx: Pick<CheckContext, 'impl' | 'tmp'>,
  ref: Recording,
  sequential: boolean,
  handlePrefix = '',
): Promise<Outcome> => {
  const client = await ctx.impl.client();
  const base = await ctx.tmp.fresh('impl');
  try {
    const steps = ref.fixture.steps;
    const send = (i: number) =>
      client.call(
        renameHandles(wireRequest(steps[i] as Fixture['steps'][number], i, base), handlePrefix) as {
          op: string;
        },
      );
    const pipelined = sequential ? [] : steps.map((_, i) => send(i));
    const actual: (Response | undefined)[] = [];
    const outcome = (mismatch?: Mismatch): Outcome => ({
      fixture: ref.fixture,
      exchanges: ref.exchanges,
      actual,
      reached: ref.reached,
      ...(mismatch === undefined ? {} : { mismatch }),
    });
    for (const [i, step] of steps.entries()) {
      const answer = await (sequential ? send(i) : (pipelined[i] as ReturnType<typeof send>));
      if (E.isLeft(answer)) return outcome({ _tag: 'Runner', step: i + 1, error: answer.left });
      const got = abstractBase(answer.right, base) as Response & { id: number };
      actual.push(got);
      const drift = responseDrift(i + 1, step.response, modeIn(step.errorText, base), {
        ...got,
        id: i + 1,
      });
      if (drift !== undefined) return outcome({ _tag: 'Drift', step: i + 1, message: drift });
    }
    const lines = filesDrift(ref.files, abstractBase(snapshotFilesSync(base), base) as Files);
    return outcome(lines.length > 0 ? { _tag: 'Files', lines } : undefined);
  } finally {
    // A drift ends the comparison early while the implementation is still
    // answering (and writing): its directory is removed only once nothing
    // is in flight, or the process is gone.
    await client.idle();
    await ctx.tmp.release(base);
  }
};

/**
 * A difference no rule class can excuse: the answers differ at a step
 * before which (and at which) nothing is a choice, an undefined point or a
 * hardening. It stands as the pipelined replay found it.
 */
export const plainFailure = (fixture: Fixture, m: Mismatch): boolean => {
  const upTo = m._tag === 'Drift' ? m.step : m._tag === 'Files' ? fixture.steps.length : 0;
  return upTo > 0 && !fixture.steps.slice(0, upTo).some(marked);
};

/**
 * Exact (and strict) level: replay the reference's recording on the
 * implementation, all requests at once (pipelined); identical answers and
 * files conform. Any difference is then judged by the rule classes in a
 * lockstep run (judge.ts), which is the verdict.
 */
export const checkExact = async (
  ctx: CheckContext,
  scenario: Scenario,
  options: { readonly level?: JudgeLevel; readonly locate?: boolean } = {},
): Promise<Outcome> => {
  const ref = await onReference(ctx, scenario);
  const first = await compareRecording(ctx, ref, false);
  if (first.mismatch === undefined) return first;
  if (plainFailure(ref.fixture, first.mismatch)) {
    // A process that dies (or hangs) in the middle of a pipelined batch may
    // take unflushed answers with it, so the batch cannot say which request
    // did it. To report the step, go again one request at a time.
    if (options.locate === true && first.mismatch._tag === 'Runner') {
      return compareRecording(ctx, ref, true);
    }
    return first;
  }
  // One request at a time (so a death names its request), judged by class.
  const judged = await judgeScenario(ctx.impl, ctx.tmp, scenario, options.level ?? 'exact');
  return {
    fixture: toFixture(ctx, scenario, judged.transcript, judged.files, ref.reached, judged.marks),
    exchanges: judged.transcript.exchanges,
    actual: judged.actual,
    reached: ref.reached,
    advisories: judged.advisories,
    ...(judged.mismatch === undefined ? {} : { mismatch: judged.mismatch }),
  };
};

const isError = (r: Response | undefined): boolean =>
  r !== undefined && (!r.ok || typeof r.result.error === 'string' || r.result.valid === false);

/**
 * Guarantees level: drive the implementation by its own answers, check its
 * trace with the monitor, and require a domain error wherever the reference
 * has one for the same request in the same scenario step.
 */
export const checkGuarantees = async (ctx: CheckContext, scenario: Scenario): Promise<Outcome> => {
  const ref = await onReference(ctx, scenario);
  const client = await ctx.impl.client();
  const base = await ctx.tmp.fresh('impl');
  try {
    const played = await drive(scenario, clientCall(client), base);
    const transcript = E.isLeft(played) ? played.left.transcript : played.right;
    const actual = transcript.exchanges.map((x) => x.response);
    const outcome = (mismatch?: Mismatch): Outcome => ({
      fixture: ref.fixture,
      exchanges: ref.transcript.exchanges,
      actual,
      reached: ref.reached,
      implTrace: transcript.trace,
      ...(mismatch === undefined ? {} : { mismatch }),
    });
    if (E.isLeft(played)) {
      return outcome({ _tag: 'Runner', step: actual.length + 1, error: played.left.error });
    }
    const violation = monitorTrace(transcript.trace);
    if (violation !== undefined) return outcome({ _tag: 'Violation', ...violation });
    for (const want of ref.transcript.exchanges) {
      const same = transcript.exchanges.find(
        (x) => x.note === want.note && canonicalText(x.request) === canonicalText(want.request),
      );
      if (same === undefined || isError(same.response) === isError(want.response)) continue;
      return outcome({
        _tag: 'ErrorMissing',
        note: want.note,
        message: `${want.request.op}: expected ${canonicalText(want.response)}, got ${canonicalText(same.response)}`,
      });
    }
    return outcome();
  } finally {
    await client.idle();
    await ctx.tmp.release(base);
  }
};

/**
 * Which guarantee clause the implementation's own run of a (shrunk)
 * scenario breaks, if any: an exact-level failure named by its clause.
 */
export const attribute = async (
  ctx: CheckContext,
  scenario: Scenario,
): Promise<
  { clause: string; event: number; explanation: string; trace: readonly TraceLine[] } | undefined
> => {
  const client = await ctx.impl.client();
  const base = await ctx.tmp.fresh('attr');
  try {
    const played = await drive(scenario, clientCall(client), base);
    const trace = E.isLeft(played) ? played.left.transcript.trace : played.right.trace;
    const v = monitorTrace(trace);
    return v === undefined ? undefined : { ...v, trace };
  } finally {
    await client.idle();
    await ctx.tmp.release(base);
  }
};
