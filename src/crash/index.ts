import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { compilePlan, type Plan, seededPlans } from './generate.ts';
import {
  checker,
  type PhaseName,
  powerCutStep,
  type Target,
  UNSYNCED_ENTRY_LOST,
  type Verdict,
} from './phases.ts';
import { callPoint, describePoint, firstFailingCut, runCallPoint, withoutRoot } from './points.ts';
import { pool } from './pool.ts';
import { type Recording, type RunOptions, record } from './record.ts';
import { STRAY_BLOCKS_BROKEN } from './recover.ts';
import { type ReplayPoint, writeReplayFile } from './replayFile.ts';
import { coveringSample } from './sample.ts';
import type { Scenario } from './scenario.ts';
import { describeStep, stepKind } from './scenario.ts';
import { shrinkPlan } from './shrink.ts';
import { checkerFor, closeShared, closeSlots, inSlot, openSlots } from './slots.ts';
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
  /** Points per phase (sampled, seeded; at least one per request kind); 'all' for the full sweep. */
  readonly crashPoints?: number | 'all';
  readonly seed?: number;
  readonly phases?: readonly PhaseName[];
  /** One given scenario instead of the generated ones. */
  readonly scenario?: Scenario;
  /** How many scenarios to generate from the seed (default 2). */
  readonly scenarios?: number;
  /** Where replay files of failures are written (none when undefined). */
  readonly failuresDir?: string;
  /** Power-cut states enumerated per cut point at most. */
  readonly stateLimit?: number;
  /** Called with one line per finished point. */
  readonly progress?: (line: string) => void;
  /** Whether to shrink failures of generated scenarios (a few recordings per failure). */
  readonly shrink?: boolean;
  /** Only the points this accepts (before sampling); all by default. */
  readonly select?: (point: PointInfo) => boolean;
  /** The error codes of the I/O phase (default EIO, ENOSPC, EACCES). */
  readonly codes?: readonly IoCode[];
  /** Points run at once, each with its own directory and processes (default 1); the report is the same. */
  readonly jobs?: number;
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
  /** 1-based scenario number. */
  readonly scenario: number;
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
  /** Points the injection could not be aimed at (each is also a failure of the run). */
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
  /** The scenarios run, one line each. */
  readonly scenarios: readonly string[];
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
export const DEFAULT_SCENARIOS = 2;

interface Point {
  readonly scenario: number;
  readonly target: Target;
  readonly kind: string;
}

interface Run {
  readonly scenario: Scenario;
  readonly plan: Plan | undefined;
  readonly recording: Recording;
}

const targetsOf = (recording: Recording, scenario: number): Point[] =>
  recording.steps.flatMap((s) =>
    s.calls.map((call, i) => ({
      scenario,
      target: { step: s.index, call, index: i + 1 },
      kind: stepKind(s.step),
    })),
  );

const show = (v: Verdict): string =>
  v._tag === 'Passed'
    ? `ok (${v.detail})`
    : v._tag === 'Failed'
      ? `FAIL: ${v.reason}`
      : `could not aim: ${v.reason}`;

/** Runs the three phases against an implementation and tallies them per request kind. */
export const runCrashPhases = async (options: CrashOptions): Promise<CrashReport> => {
  const started = Date.now();
  const seed = options.seed ?? DEFAULT_CRASH_SEED;
  const crashPoints = options.crashPoints ?? DEFAULT_CRASH_POINTS;
  const phases = options.phases ?? PHASES;
  const say = options.progress ?? (() => {});
  const base = {
    command: options.command,
    seed,
    crashPoints,
    scenarios: [] as string[],
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
  const given: { scenario: Scenario; plan: Plan | undefined }[] =
    options.scenario !== undefined
      ? [{ scenario: options.scenario, plan: undefined }]
      : seededPlans(seed, options.scenarios ?? DEFAULT_SCENARIOS).map((plan, i) => ({
          scenario: compilePlan(plan, `scenario ${i + 1} of seed ${seed}`),
          plan,
        }));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-crash-'));
  // The recordings and the shrinker use `root` itself and `check`; the points, the slots.
  const slots = openSlots(run, root, Math.max(1, Math.floor(options.jobs ?? 1)));
  const work = pool();
  try {
    const runs: Run[] = [];
    for (const g of given) {
      const recorded = await record(run, g.scenario, root);
      if (E.isLeft(recorded)) {
        return done({ ran: false, note: `${g.scenario.name}: ${recorded.left}`, exitCode: 2 });
      }
      runs.push({ ...g, recording: recorded.right });
      const calls = recorded.right.calls.length;
      base.scenarios.push(
        `${g.scenario.name}: ${g.scenario.steps.length} requests on relations ${[...g.scenario.views.keys()].join(', ')}, ${calls} mutating calls`,
      );
      say(`recorded ${base.scenarios[base.scenarios.length - 1]}`);
    }
    const all = runs.flatMap((r, i) => targetsOf(r.recording, i));
    const points = all.filter(
      (p) =>
        options.select?.({
          kind: p.kind,
          syscall: p.target.call.syscall,
          op: p.target.call.file.op,
          index: p.target.index,
          request: p.target.step + 1,
          scenario: p.scenario + 1,
        }) ?? true,
    );
    const count = crashPoints === 'all' ? undefined : crashPoints;
    const check = checker(run);
    const rows = new Map<string, { -readonly [K in keyof Row]: Row[K] }>();
    const callsPerKind = new Map<string, number>();
    for (const p of all) callsPerKind.set(p.kind, (callsPerKind.get(p.kind) ?? 0) + 1);
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
      for (const quirk of [STRAY_BLOCKS_BROKEN, UNSYNCED_ENTRY_LOST]) {
        if (verdict._tag === 'Passed' && verdict.detail.includes(quirk)) {
          quirks.set(quirk, (quirks.get(quirk) ?? 0) + 1);
        }
      }
      const r = row(phase, kind);
      if (verdict._tag === 'Missed') {
        r.missed += 1;
        r.failures += 1;
      } else {
        r.tried += 1;
        if (verdict._tag === 'Passed') r.recovered += 1;
        else r.failures += 1;
      }
    };
    const failures: Failure[] = [];
    // Shrinking costs a few recordings: the first failure of each phase is shrunk.
    const shrunkPhases = new Set<PhaseName>();
    const fail = async (
      phase: PhaseName,
      at: Run,
      point: ReplayPoint,
      kind: string,
      what: string,
      reason: string,
      shrinkable: boolean,
    ) => {
      let scenario = at.scenario;
      let where = point;
      let named = what;
      let why = withoutRoot(reason, root);
      if (
        shrinkable &&
        at.plan !== undefined &&
        (options.shrink ?? true) &&
        !shrunkPhases.has(phase)
      ) {
        shrunkPhases.add(phase);
        const shrunk = await shrinkPlan(run, at.plan, phase, point, kind, check, root, {
          limit: options.stateLimit ?? 4096,
          name: at.scenario.name,
        });
        if (shrunk !== undefined) {
          scenario = shrunk.scenario;
          where = shrunk.point;
          named = shrunk.what;
          why = withoutRoot(shrunk.reason, root);
        }
      }
      const steps = scenario.steps
        .slice(0, where.request)
        .map((s, i) => `${i + 1}. ${describeStep(s)}`);
      const failure: Failure = {
        phase,
        request: where.request,
        kind,
        what: named,
        reason: why,
        steps,
      };
      const file =
        options.failuresDir === undefined
          ? undefined
          : writeReplayFile(options.failuresDir, failures.length + 1, {
              phase,
              implementation: options.command,
              scenario,
              point: where,
              verdict: why,
            });
      failures.push(file === undefined ? failure : { ...failure, replayFile: file });
    };

    // Every request kind with mutating calls gets a row in each phase run, tried or not.
    for (const phase of phases) for (const p of all) row(phase, p.kind);
    const callPhase = async (phase: 'process crash' | 'I/O error', sample: readonly Point[]) => {
      const verdicts = work.map(sample, slots, async (p, slot, i) => {
        const at = runs[p.scenario] as Run;
        const verdict = await runCallPoint(
          run,
          phase,
          at.scenario,
          at.recording,
          p.target,
          checkerFor(slot.check, `${phase === 'I/O error' ? 'i' : 'c'}${i + 1}`),
          slot.root,
          // The I/O error points of a slot share one implementation: it must survive them anyway.
          phase === 'I/O error' ? slot.shared : undefined,
        );
        return inSlot(verdict, slot);
      });
      // In point order: the tallies, the failures, their numbers and the shrunk one are those of one job.
      for (const [i, pending] of verdicts.entries()) {
        const p = sample[i] as Point;
        const at = runs[p.scenario] as Run;
        const verdict = await pending;
        tally(phase, p.kind, verdict);
        const what = describePoint(phase, p.target, at.recording.base);
        say(`${phase}: ${what}: ${show(verdict)}`);
        if (verdict._tag === 'Failed' || verdict._tag === 'Missed') {
          const reason =
            verdict._tag === 'Failed' ? verdict.reason : `could not aim: ${verdict.reason}`;
          await fail(
            phase,
            at,
            callPoint(p.target),
            p.kind,
            what,
            reason,
            verdict._tag === 'Failed',
          );
        }
      }
    };
    const group = (p: Point) => `${p.kind} ${p.target.call.syscall}`;
    if (phases.includes('process crash')) {
      await callPhase(
        'process crash',
        coveringSample(points, (p) => p.kind, group, count, seed),
      );
    }
    if (phases.includes('I/O error')) {
      // A call that failed in the recording changed nothing: failing it again tests nothing.
      const codes = options.codes ?? IO_CODES;
      const withCodes = points
        .filter((p) => p.target.call.ok)
        .flatMap((p) => codes.map((code) => ({ ...p, target: { ...p.target, code } })));
      await callPhase(
        'I/O error',
        coveringSample(withCodes, (p) => p.kind, group, count, seed + 1),
      );
    }
    await closeShared(slots);
    if (phases.includes('power cut')) {
      const cut = runs.flatMap((at) =>
        at.recording.steps.filter((rec) => rec.calls.length > 0).map((rec) => ({ at, rec })),
      );
      const states = work.map(cut, slots, async ({ at, rec }, slot, i) => {
        const results = await powerCutStep(
          at.scenario,
          at.recording,
          rec.index,
          checkerFor(slot.check, `p${i + 1}`),
          slot.root,
          options.stateLimit ?? 4096,
        );
        return results.map((r) => ({ ...r, verdict: inSlot(r.verdict, slot) }));
      });
      for (const [i, pending] of states.entries()) {
        const { at, rec } = cut[i] as (typeof cut)[number];
        const kind = stepKind(rec.step);
        const results = await pending;
        for (const r of results) tally('power cut', kind, r.verdict);
        const failing = results.filter((r) => r.verdict._tag === 'Failed');
        const first = firstFailingCut(results);
        if (first !== undefined && first.verdict._tag === 'Failed') {
          await fail(
            'power cut',
            at,
            first.point,
            kind,
            `${first.what} (${failing.length} of ${results.length} states fail)`,
            first.verdict.reason,
            true,
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
    await work.settled();
    await closeSlots(slots);
    fs.rmSync(root, { recursive: true, force: true });
  }
};
