import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { stringifyJsonPretty } from '../model/json.ts';
import { describeCall } from './fileCalls.ts';
import {
  checker,
  crashPoint,
  ioErrorPoint,
  type PhaseName,
  powerCutStep,
  type Target,
  type Verdict,
} from './phases.ts';
import { type Recording, type RunOptions, record } from './record.ts';
import { STRAY_BLOCKS_BROKEN } from './recover.ts';
import { stratifiedSample } from './sample.ts';
import {
  DEFAULT_SCENARIO,
  describeStep,
  type Scenario,
  stepKind,
  stepRequest,
} from './scenario.ts';
import {
  IO_CODES,
  type IoCode,
  STRACE_MISSING,
  straceAvailable,
  straceCannotTrace,
} from './strace.ts';

export { printCrashReport } from './report.ts';
export { STRACE_MISSING } from './strace.ts';

export const PHASES: readonly PhaseName[] = ['process crash', 'I/O error', 'power cut'];

export interface CrashOptions {
  /** Shell command starting the implementation. */
  readonly command: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Points per phase (sampled, seeded); 'all' for the full sweep. */
  readonly crashPoints?: number | 'all';
  readonly seed?: number;
  readonly phases?: readonly PhaseName[];
  readonly scenario?: Scenario;
  /** Where replay files of failures are written (none when undefined). */
  readonly failuresDir?: string;
  /** Power-cut states enumerated per cut point at most. */
  readonly stateLimit?: number;
  /** Called with one line per finished point. */
  readonly progress?: (line: string) => void;
  /** Whether to shrink failures (one extra recording per failure). */
  readonly shrink?: boolean;
  /** Only the points this accepts (before sampling); all by default. */
  readonly select?: (point: PointInfo) => boolean;
  /** The error codes of the I/O phase (default EIO, ENOSPC, EACCES). */
  readonly codes?: readonly IoCode[];
}

/** What `select` sees of a point: its request kind, its call, and the call's place in the request. */
export interface PointInfo {
  readonly kind: string;
  readonly syscall: string;
  readonly op: string;
  /** 1-based position of the call among the request's mutating calls. */
  readonly index: number;
  /** 1-based request number in the scenario. */
  readonly request: number;
}

/** One row of the report: a phase and a request kind. */
export interface Row {
  readonly phase: PhaseName;
  readonly kind: string;
  /** Mutating calls recorded for requests of this kind. */
  readonly calls: number;
  readonly tried: number;
  readonly recovered: number;
  readonly failures: number;
  /** Points whose injection did not hit the intended call. */
  readonly missed: number;
}

export interface Failure {
  readonly phase: PhaseName;
  readonly request: number;
  readonly kind: string;
  /** The call (or power-cut state) and where it is. */
  readonly what: string;
  readonly reason: string;
  /** Requests of the shortest failing scenario found. */
  readonly steps: readonly string[];
  readonly replayFile?: string;
}

export interface CrashReport {
  /** False when the phases could not run (the note says why). */
  readonly ran: boolean;
  readonly note?: string;
  readonly command: string;
  readonly seed: number;
  readonly crashPoints: number | 'all';
  readonly rows: readonly Row[];
  readonly failures: readonly Failure[];
  /** Known quirks met, with how many points met them. */
  readonly quirks: readonly { readonly text: string; readonly points: number }[];
  readonly durationMs: number;
  /** 0 all recovered, 1 failures, 2 setup error (as for conform). */
  readonly exitCode: 0 | 1 | 2;
}

export const DEFAULT_CRASH_POINTS = 12;
export const DEFAULT_CRASH_SEED = 20150312;

interface Point {
  readonly target: Target;
  readonly kind: string;
}

const targetsOf = (recording: Recording): Point[] =>
  recording.steps.flatMap((s) =>
    s.calls.map((call, i) => ({
      target: { step: s.index, call, index: i + 1 },
      kind: stepKind(s.step),
    })),
  );

const restrictTo = (scenario: Scenario, upTo: number): Scenario => {
  const relation = scenario.steps[upTo]?.relation;
  return {
    name: `${scenario.name} (relation ${relation} only, up to request ${upTo + 1})`,
    steps: scenario.steps.slice(0, upTo + 1).filter((s) => s.relation === relation),
    views: new Map([...scenario.views].filter(([id]) => id === relation)),
  };
};

/** Runs the three phases against an implementation and tallies them per request kind. */
export const runCrashPhases = async (options: CrashOptions): Promise<CrashReport> => {
  const started = Date.now();
  const seed = options.seed ?? DEFAULT_CRASH_SEED;
  const crashPoints = options.crashPoints ?? DEFAULT_CRASH_POINTS;
  const scenario = options.scenario ?? DEFAULT_SCENARIO;
  const phases = options.phases ?? PHASES;
  const say = options.progress ?? (() => {});
  const base = {
    command: options.command,
    seed,
    crashPoints,
    rows: [] as Row[],
    failures: [] as Failure[],
    quirks: [] as { text: string; points: number }[],
  };
  const done = (
    rest: Partial<CrashReport> & Pick<CrashReport, 'ran' | 'exitCode'>,
  ): CrashReport => ({
    ...base,
    ...rest,
    durationMs: Date.now() - started,
  });
  if (!straceAvailable()) return done({ ran: false, note: STRACE_MISSING, exitCode: 0 });
  const cannot = await straceCannotTrace();
  if (cannot !== undefined) return done({ ran: false, note: cannot, exitCode: 0 });
  const run: RunOptions = {
    command: options.command,
    timeoutMs: options.timeoutMs ?? 20000,
    cwd: options.cwd ?? process.cwd(),
  };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-crash-'));
  try {
    const recorded = await recordWithBase(run, scenario, root);
    if (E.isLeft(recorded)) return done({ ran: false, note: recorded.left, exitCode: 2 });
    const { recording, recordBase } = recorded.right;
    say(
      `recorded ${recording.steps.length} requests, ${recording.steps.reduce((n, s) => n + s.calls.length, 0)} mutating calls`,
    );
    const points = targetsOf(recording).filter(
      (p) =>
        options.select?.({
          kind: p.kind,
          syscall: p.target.call.syscall,
          op: p.target.call.file.op,
          index: p.target.index,
          request: p.target.step + 1,
        }) ?? true,
    );
    const count = crashPoints === 'all' ? undefined : crashPoints;
    const check = checker(run);
    const rows = new Map<string, { -readonly [K in keyof Row]: Row[K] }>();
    const callsPerKind = new Map<string, number>();
    for (const p of targetsOf(recording))
      callsPerKind.set(p.kind, (callsPerKind.get(p.kind) ?? 0) + 1);
    const row = (phase: PhaseName, kind: string) => {
      const key = `${phase}\u0000${kind}`;
      let r = rows.get(key);
      if (r === undefined) {
        r = {
          phase,
          kind,
          calls: callsPerKind.get(kind) ?? 0,
          tried: 0,
          recovered: 0,
          failures: 0,
          missed: 0,
        };
        rows.set(key, r);
      }
      return r;
    };
    const quirks = new Map<string, number>();
    const tally = (phase: PhaseName, kind: string, verdict: Verdict) => {
      if (verdict._tag === 'Passed' && verdict.detail.includes(STRAY_BLOCKS_BROKEN)) {
        quirks.set(STRAY_BLOCKS_BROKEN, (quirks.get(STRAY_BLOCKS_BROKEN) ?? 0) + 1);
      }
      const r = row(phase, kind);
      if (verdict._tag === 'Missed') r.missed += 1;
      else {
        r.tried += 1;
        if (verdict._tag === 'Passed') r.recovered += 1;
        else r.failures += 1;
      }
    };
    const failures: Failure[] = [];
    const fail = async (
      phase: PhaseName,
      point: Point | undefined,
      request: number,
      kind: string,
      what: string,
      reason: string,
      replay: Record<string, unknown>,
    ) => {
      let failing: Scenario = { ...scenario, steps: scenario.steps.slice(0, request + 1) };
      let at = { request, point, base: recordBase };
      if (point !== undefined && (options.shrink ?? true) && phase !== 'power cut') {
        const shrunk = await shrinkPoint(run, scenario, point, phase, root);
        if (shrunk !== undefined) {
          failing = shrunk.scenario;
          at = {
            request: shrunk.scenario.steps.length - 1,
            point: { ...point, target: shrunk.target },
            base: shrunk.base,
          };
        }
      }
      let cutReplay = replay;
      if (point === undefined && (options.shrink ?? true) && phase === 'power cut') {
        const shrunk = await shrinkCut(run, scenario, request, root);
        if (shrunk !== undefined) {
          failing = shrunk.scenario;
          at = { request: shrunk.scenario.steps.length - 1, point, base: recordBase };
          cutReplay = shrunk.replay;
        }
      }
      const steps = failing.steps;
      const failure: Failure = {
        phase,
        request: at.request + 1,
        kind,
        what,
        reason,
        steps: steps.map((s, i) => `${i + 1}. ${describeStep(s)}`),
      };
      const target = at.point?.target;
      const file =
        options.failuresDir === undefined
          ? undefined
          : writeReplay(options.failuresDir, failures.length + 1, {
              phase,
              implementation: options.command,
              request: at.request + 1,
              kind,
              what,
              reason,
              scenario: steps.map((s) => stepRequest(s, '<base>')),
              watcherViewAfter: Object.fromEntries(
                [...failing.views].map(([id, v]) => [
                  String(id),
                  v.kind === 'dying' ? 'dying' : Object.fromEntries(v.members),
                ]),
              ),
              ...(target === undefined
                ? {}
                : {
                    call: describeCall(target.call, at.base),
                    callIndexInRequest: target.index,
                    syscall: target.call.syscall,
                    when: target.call.nth,
                    strace: `strace -f ${target.call.paths.map((p) => `-P '${p.replace(at.base, '<base>')}'`).join(' ')} -e inject=${target.call.syscall}:${target.code === undefined ? 'signal=KILL' : `error=${target.code}`}:when=${target.call.nth} -- <implementation>`,
                    note: 'when= counts the calls of this syscall, in the thread that made it, that touch the -P paths; <base> is the base directory of the run',
                  }),
              ...cutReplay,
            });
      failures.push(file === undefined ? failure : { ...failure, replayFile: file });
    };

    // Every request kind with mutating calls gets a row in each phase run, tried or not.
    const kinds = [...new Set(targetsOf(recording).map((p) => p.kind))];
    for (const phase of phases) for (const kind of kinds) row(phase, kind);
    if (phases.includes('process crash')) {
      const sample = stratifiedSample(
        points,
        (p) => `${p.kind} ${p.target.call.syscall}`,
        count,
        seed,
      );
      for (const p of sample) {
        const verdict = await crashPoint(run, scenario, recording, p.target, check, root);
        tally('process crash', p.kind, verdict);
        const what = `kill at ${describeCall(p.target.call, recordBase)} (call ${p.target.index} of request ${p.target.step + 1}, ${p.target.call.syscall} #${p.target.call.nth})`;
        say(`process crash: ${what}: ${show(verdict)}`);
        if (verdict._tag === 'Failed') {
          await fail('process crash', p, p.target.step, p.kind, what, verdict.reason, {});
        }
      }
    }
    if (phases.includes('I/O error')) {
      // A call that failed in the recording changed nothing: failing it again tests nothing.
      const withCodes = points
        .filter((p) => p.target.call.ok)
        .flatMap((p) => IO_CODES.map((code) => ({ ...p, target: { ...p.target, code } })));
      const sample = stratifiedSample(
        withCodes,
        (p) => `${p.kind} ${p.target.call.syscall}`,
        count,
        seed + 1,
      );
      for (const p of sample) {
        const verdict = await ioErrorPoint(run, scenario, recording, p.target, root);
        tally('I/O error', p.kind, verdict);
        const what = `${p.target.code} at ${describeCall(p.target.call, recordBase)} (call ${p.target.index} of request ${p.target.step + 1}, ${p.target.call.syscall} #${p.target.call.nth})`;
        say(`I/O error: ${what}: ${show(verdict)}`);
        if (verdict._tag === 'Failed')
          await fail('I/O error', p, p.target.step, p.kind, what, verdict.reason, {});
      }
    }
    if (phases.includes('power cut')) {
      for (const rec of recording.steps) {
        if (rec.calls.length === 0) continue;
        const kind = stepKind(rec.step);
        const results = await powerCutStep(
          scenario,
          rec,
          recordBase,
          check,
          root,
          options.stateLimit ?? 4096,
        );
        // The failing state with the fewest losses, earliest cut first, stands for the request.
        const failing = results
          .filter((r) => r.verdict._tag === 'Failed')
          .sort((a, b) => a.lost - b.lost || a.completed - b.completed);
        for (const r of results) tally('power cut', kind, r.verdict);
        const first = failing[0];
        if (first !== undefined && first.verdict._tag === 'Failed') {
          await fail(
            'power cut',
            undefined,
            rec.index,
            kind,
            `${first.what} (${failing.length} of ${results.length} states fail)`,
            first.verdict.reason,
            first.replay,
          );
        }
        say(
          `power cut: request ${rec.index + 1} (${describeStep(rec.step)}): ${results.length} states, ${failing.length} failing`,
        );
      }
    }
    await check.close();
    const order = (r: Row) => PHASES.indexOf(r.phase);
    return done({
      ran: true,
      rows: [...rows.values()].sort((a, b) => order(a) - order(b)),
      failures,
      quirks: [...quirks].map(([text, points]) => ({ text, points })),
      exitCode: failures.length > 0 ? 1 : 0,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
};

const show = (v: Verdict): string =>
  v._tag === 'Passed'
    ? `ok (${v.detail})`
    : v._tag === 'Failed'
      ? `FAIL: ${v.reason}`
      : `missed: ${v.reason}`;

const recordWithBase = async (run: RunOptions, scenario: Scenario, root: string) => {
  const recorded = await record(run, scenario, root);
  return E.map((recording: Recording) => ({
    recording,
    recordBase: recording.base,
  }))(recorded);
};

/**
 * The shortest scenario that still fails: only the failing relation's
 * requests up to the failing one, re-recorded so that the same call (same
 * position in the same request) is found again.
 */
const shrinkPoint = async (
  run: RunOptions,
  scenario: Scenario,
  point: Point,
  phase: PhaseName,
  root: string,
): Promise<{ scenario: Scenario; target: Target; base: string } | undefined> => {
  const small = restrictTo(scenario, point.target.step);
  if (small.steps.length >= point.target.step + 1) return undefined;
  const recorded = await record(run, small, root);
  if (E.isLeft(recorded)) return undefined;
  const stepIndex = small.steps.length - 1;
  const call = recorded.right.steps[stepIndex]?.calls[point.target.index - 1];
  if (call === undefined) return undefined;
  const target: Target = { ...point.target, step: stepIndex, call };
  const check = checker(run);
  const verdict =
    phase === 'process crash'
      ? await crashPoint(run, small, recorded.right, target, check, root)
      : await ioErrorPoint(run, small, recorded.right, target, root);
  await check.close();
  return verdict._tag === 'Failed'
    ? { scenario: small, target, base: recorded.right.base }
    : undefined;
};

/** The power-cut analogue: the failing relation's requests only, re-recorded, still failing. */
const shrinkCut = async (
  run: RunOptions,
  scenario: Scenario,
  request: number,
  root: string,
): Promise<{ scenario: Scenario; replay: Record<string, unknown> } | undefined> => {
  const small = restrictTo(scenario, request);
  if (small.steps.length >= request + 1) return undefined;
  const recorded = await record(run, small, root);
  if (E.isLeft(recorded)) return undefined;
  const rec = recorded.right.steps[small.steps.length - 1];
  if (rec === undefined) return undefined;
  const check = checker(run);
  const results = await powerCutStep(small, rec, recorded.right.base, check, root, 4096);
  await check.close();
  const failing = results
    .filter((r) => r.verdict._tag === 'Failed')
    .sort((a, b) => a.lost - b.lost || a.completed - b.completed)[0];
  return failing === undefined ? undefined : { scenario: small, replay: failing.replay };
};

const writeReplay = (dir: string, n: number, content: Record<string, unknown>): string => {
  fs.mkdirSync(dir, { recursive: true });
  const phase = String(content.phase)
    .replace(/[^a-z]+/gi, '-')
    .toLowerCase();
  const file = path.join(dir, `crash-${phase}-${n}.json`);
  fs.writeFileSync(file, stringifyJsonPretty(content));
  return file;
};
