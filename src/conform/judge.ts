import * as E from 'fp-ts/lib/Either.js';
import { abstractBase, substitute } from '../fixtures/base.ts';
import { filesDrift } from '../fixtures/compare.ts';
import type { Files, Request, Response, StepMarks } from '../fixtures/fixture.ts';
import { type JudgeLevel, judgeStep, Objects } from '../fixtures/judge.ts';
import { handleOf, Marker } from '../fixtures/marks.ts';
import type { RunnerError } from '../runner/errors.ts';
import type { Mismatch } from './check.ts';
import { type Call, drive, type Exchange, errorTextOf, type Transcript } from './driver.ts';
import { stripId } from './endpoint.ts';
import { snapshotFilesSync } from './files.ts';
import type { ImplPool } from './impl.ts';
import type { Scenario } from './scenario.ts';
import { SteerableReference } from './steerable.ts';
import type { TempRoot } from './tmp.ts';

/** A hardening met in a scenario: where, and what the implementation said instead. */
export interface ScenarioAdvisory {
  readonly rule: string;
  /** 1-based protocol step. */
  readonly step: number;
  readonly message: string;
}

export interface Judged {
  /** The reference's answers, following the implementation's picks, with the driver's rules. */
  readonly transcript: Transcript;
  readonly marks: readonly StepMarks[];
  readonly actual: readonly (Response | undefined)[];
  readonly files: Files;
  readonly advisories: readonly ScenarioAdvisory[];
  readonly mismatch?: Mismatch;
}

const STOPPED: RunnerError = { _tag: 'Closed', message: 'stopped at the first difference' };

/**
 * Drive a scenario on the implementation and on a steerable reference in
 * lockstep, one request at a time, judging every answer by the rule classes
 * (spec/RULES.md): a choice follows the implementation's pick, an undefined
 * point accepts any error or a death (the implementation is restarted and
 * its earlier objects are no longer compared), a hardening difference is an
 * advisory at level exact. The driver decides each next request from the
 * reference's (steered) answers; requests on objects no longer compared go
 * to neither side.
 */
export const judgeScenario = async (
  impl: ImplPool,
  tmp: TempRoot,
  scenario: Scenario,
  level: JudgeLevel,
): Promise<Judged> => {
  const refBase = await tmp.fresh('ref');
  const implBase = await tmp.fresh('impl');
  const ref = new SteerableReference();
  const marker = new Marker();
  let client = await impl.client();
  const objects = new Objects();
  const records: {
    request: Request;
    expected: Response;
    actual: Response | undefined;
    marks: StepMarks;
    skipped: boolean;
  }[] = [];
  const advisories: ScenarioAdvisory[] = [];
  let mismatch: Mismatch | undefined;
  const call: Call = async (wire) => {
    // The failing exchange went back to the driver (so that it names its rules); stop now.
    if (mismatch !== undefined) return E.left(STOPPED);
    const request = abstractBase(wire, implBase) as Request;
    if (!objects.admit(request)) {
      const expected: Response = { ok: false, error: `${handleOf(request)} is no longer compared` };
      records.push({ request, expected, actual: undefined, marks: {}, skipped: true });
      return E.right(expected);
    }
    let expected = abstractBase(
      await ref.send(substitute(request, refBase) as Request),
      refBase,
    ) as Response;
    let marks = marker.mark(request, expected);
    const step = records.length + 1;
    const answer = await client.call(wire as { op: string });
    if (E.isLeft(answer)) {
      records.push({ request, expected, actual: undefined, marks, skipped: false });
      if (marks.undefined === undefined || answer.left._tag === 'Timeout') {
        mismatch = { _tag: 'Runner', step, error: answer.left };
        return E.right(substitute(expected, implBase) as Response);
      }
      // Dying is allowed here: a fresh process, without the objects of the dead one.
      client = await impl.client();
      objects.retireAll();
      return E.right(substitute(expected, implBase) as Response);
    }
    const got = abstractBase(answer.right, implBase);
    const actual = stripId(got);
    const mode = marks.errorText ?? errorTextOf(request.op, expected);
    let verdict = judgeStep(marks, step, expected, mode, { ...(got as object), id: step }, level);
    if (
      verdict._tag === 'Fail' &&
      request.op === 'source.next' &&
      typeof request.source === 'string'
    ) {
      const steered = await ref.steer(request.source, actual);
      if (steered !== undefined) {
        expected = steered;
        marks = { ...marks, choice: 'R-LIVE-FIRST-ABSENT-DEPART' };
        verdict = { _tag: 'Pass' };
      }
    }
    records.push({ request, expected, actual, marks, skipped: false });
    if (verdict._tag === 'Fail') {
      mismatch = { _tag: 'Drift', step, message: verdict.message };
      return E.right(substitute(expected, implBase) as Response);
    }
    if (verdict._tag === 'Advise') {
      advisories.push({ rule: verdict.rule, step, message: verdict.message });
      objects.advised(request, verdict.rule);
    }
    if (marks.undefined !== undefined || marks.retire !== undefined) objects.retire(request);
    return E.right(substitute(expected, implBase) as Response);
  };

  try {
    const played = await drive(scenario, call, implBase);
    const driven = E.isLeft(played) ? played.left.transcript.exchanges : played.right.exchanges;
    const trace = E.isLeft(played) ? played.left.transcript.trace : played.right.trace;
    const refFiles = abstractBase(snapshotFilesSync(refBase), refBase) as Files;
    if (mismatch === undefined && E.isRight(played)) {
      const lines = filesDrift(
        objects.files(refFiles),
        objects.files(abstractBase(snapshotFilesSync(implBase), implBase) as Files),
      );
      if (lines.length > 0) mismatch = { _tag: 'Files', lines };
    }
    // Steps not sent anywhere are left out: the rest is a consistent recording.
    const exchanges: Exchange[] = [];
    const marks: StepMarks[] = [];
    const actual: (Response | undefined)[] = [];
    for (const [i, r] of records.entries()) {
      if (r.skipped) continue;
      const x = driven[i];
      exchanges.push({
        request: r.request,
        response: r.expected,
        errorText: r.marks.errorText ?? errorTextOf(r.request.op, r.expected),
        rules: x?.rules ?? [],
        note: x?.note ?? driven[driven.length - 1]?.note ?? 'start',
      });
      marks.push(r.marks);
      actual.push(r.actual);
    }
    const renumbered = renumber(mismatch, records);
    return {
      transcript: { exchanges, trace },
      marks,
      actual,
      files: refFiles,
      advisories: advisories.map((a) => ({ ...a, step: stepAfterSkips(a.step, records) })),
      ...(renumbered === undefined ? {} : { mismatch: renumbered }),
    };
  } finally {
    await tmp.release(refBase);
    await tmp.release(implBase);
  }
};

/** A step number among all records, counted without the skipped ones. */
const stepAfterSkips = (step: number, records: readonly { skipped: boolean }[]): number =>
  records.slice(0, step).filter((r) => !r.skipped).length;

const renumber = (
  m: Mismatch | undefined,
  records: readonly { skipped: boolean }[],
): Mismatch | undefined =>
  m !== undefined && (m._tag === 'Drift' || m._tag === 'Runner')
    ? { ...m, step: stepAfterSkips(m.step, records) }
    : m;
