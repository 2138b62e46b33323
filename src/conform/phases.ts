import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { internalErrorLine } from '../cli/internalError.ts';
import { loadFixtureDir } from '../fixtures/dir.ts';
import { encodeFixture, fixtureFileName } from '../fixtures/encode.ts';
import { conforms } from '../fixtures/replay.ts';
import { describeDrift } from '../fixtures/verify.ts';
import { stringifyJson } from '../model/json.ts';
import { failureDocument, failureRecord } from '../report/document.ts';
import { writeJsonAtomically } from '../report/write.ts';
import { Advisories, type AdvisoryReport, judgeLevel, shrinkAdvisory } from './advisories.ts';
import { failedIds, protocolSteps } from './blame.ts';
import { type Assumption, assumptionBreakingScenario, misuseScenario } from './breaking.ts';
import {
  attribute,
  type CheckContext,
  checkExact,
  checkGuarantees,
  type Outcome,
} from './check.ts';
import { type Counterexample, fromOutcome, fromReplay } from './counterexample.ts';
import { describeMismatch, stepList } from './format.ts';
import type { ImplPool } from './impl.ts';
import { minimizeExact } from './minimize.ts';
import type { Progress } from './progress.ts';
import { referenceCall } from './reference.ts';
import { mayBeLeftovers, replayPipelined } from './replay.ts';
import { type Scenario, wellBehavedScenario } from './scenario.ts';
import { inShard, type Shard } from './shard.ts';
import type { Tally } from './tally.ts';
import type { TempRoot } from './tmp.ts';
import type { ScenarioWorkers } from './workers.ts';

export type Level = 'exact' | 'strict' | 'guarantees';

export interface ConformOptions {
  /** The implementation's command line (shell syntax). */
  readonly command: string;
  readonly level: Level;
  /** Scenarios per scenario phase. */
  readonly runs: number;
  readonly seed: number;
  /** fast-check path of a counterexample to replay (with `phase`). */
  readonly path?: string;
  /** Run only this scenario phase. */
  readonly phase?: string;
  readonly timeoutMs: number;
  /** Golden fixtures to replay first; null to skip them. */
  readonly fixturesDir: string | null;
  /** The fixtures directory is the default one: its absence is not an error. */
  readonly fixturesOptional?: boolean;
  /** Where counterexample fixtures are written. */
  readonly failuresDir: string;
  /** Longest scenario, in abstract steps. */
  readonly maxSteps: number;
  /**
   * How long shrinking may go on before the smallest counterexample so far is
   * kept: a net for very slow implementations. Shrinking stops after a fixed
   * number of candidates, so that the counterexample is the same on a fast
   * machine and a loaded one.
   */
  readonly shrinkBudgetMs?: number;
  /** How many times a crashed implementation is restarted for shrinking (default 8). */
  readonly maxRestarts?: number;
  /** Stop after the first phase that finds a failure (a verdict, not a full report). */
  readonly failFast?: boolean;
  /** Implementations run at once, each behind its own worker thread (default 1). */
  readonly jobs?: number;
  /** Run only this share of every phase's scenarios and fixtures. */
  readonly shard?: Shard;
  /** Limits on the implementation (src/conform/impl.ts): start-up, output, give-up. */
  readonly startTimeoutMs?: number;
  readonly maxLineBytes?: number;
  readonly maxOutputBytes?: number;
  readonly giveUpAfter?: number;
  /** Directories (the working directory) where anything new is a write outside the scenario. */
  readonly watch?: readonly string[];
}

export interface RunContext {
  readonly options: ConformOptions;
  readonly impl: ImplPool;
  /** Worker threads that run a phase's scenarios first (--jobs, --shard), when there are any. */
  readonly workers?: ScenarioWorkers;
  readonly tmp: TempRoot;
  readonly tally: Tally;
  readonly out: (line: string) => void;
  readonly progress: Progress;
}

/** One thing the implementation got wrong, ready to print. */
export interface Failure {
  readonly phase: string;
  /** Clause and rule ids it fails. */
  readonly ids: readonly string[];
  readonly lines: readonly string[];
  /** Protocol steps of the shrunk counterexample, up to the failing one. */
  readonly steps?: number;
  /** Protocol steps of the first failing scenario, before shrinking. */
  readonly stepsBefore?: number;
  /** Where the counterexample fixture was written. */
  readonly fixturePath?: string;
  /** The failure as data, for the report document and the timeline. */
  readonly counterexample?: Counterexample;
}

export interface PhaseResult {
  readonly checked: number;
  readonly failures: readonly Failure[];
  /** Hardenings met (level exact): reported, not failed. */
  readonly advisories?: readonly AdvisoryReport[];
  /** The run cannot go on (bad fixtures directory...): exit 2. */
  readonly setupError?: string;
  readonly note?: string;
}

/** A phase of `conform`: hello, the golden fixtures, then scenario phases. */
export interface Phase {
  readonly name: string;
  readonly run: (ctx: RunContext) => Promise<PhaseResult>;
}

// ---------------------------------------------------------------- fixtures

/**
 * Replay every golden fixture. A fixture that fails is replayed once more
 * on a fresh process, so that handles left by an earlier fixture cannot
 * make it fail.
 */
export const fixturesPhase: Phase = {
  name: 'golden fixtures',
  run: async (ctx) => {
    const dir = ctx.options.fixturesDir;
    if (dir === null) return { checked: 0, failures: [], note: 'skipped' };
    if (ctx.options.fixturesOptional === true && !existsSync(dir)) {
      return { checked: 0, failures: [], note: `skipped (no ${dir})` };
    }
    const loaded = await loadFixtureDir(dir);
    if (E.isLeft(loaded)) {
      return {
        checked: 0,
        failures: [],
        setupError: loaded.left.map((p) => p.message).join('\n'),
      };
    }
    const failures: Failure[] = [];
    const advisories = new Advisories('golden fixtures');
    let fixtureNumber = 0;
    const mine = loaded.right.filter((_, j) => inShard(ctx.options.shard, j));
    ctx.progress.start('golden fixtures', mine.length);
    for (const fixture of mine) {
      if (ctx.impl.exhausted()) break;
      ctx.tally.reach([...fixture.clauses, ...fixture.rules]);
      const base = await ctx.tmp.fresh('fixture');
      fixtureNumber += 1;
      const level = judgeLevel(ctx.options.level);
      let report = await replayPipelined(
        fixture,
        await ctx.impl.client(),
        base,
        `f${fixtureNumber}-`,
        { level, restart: () => ctx.impl.client() },
      );
      await ctx.impl.idle();
      await ctx.tmp.release(base);
      if (!conforms(report) && mayBeLeftovers(fixture, report)) {
        // Handles left by an earlier fixture may explain it: confirm on a fresh process.
        await ctx.impl.restart();
        const fresh = await ctx.tmp.fresh('fixture');
        report = await replayPipelined(fixture, await ctx.impl.client(), fresh, '', {
          level,
          restart: () => ctx.impl.client(),
        });
        await ctx.impl.idle();
        await ctx.tmp.release(fresh);
      }
      for (const a of report.advisories) {
        ctx.tally.advise([a.rule]);
        advisories.note(a.rule, () => [
          `  fixture ${join(dir, fixtureFileName(fixture))}, step ${a.step} (${a.op}): ${a.message}`,
        ]);
      }
      if (!conforms(report)) {
        const ids = [...fixture.clauses, ...fixture.rules];
        ctx.tally.fail(ids);
        const saved = join(ctx.options.failuresDir, `${fixture.id}.failure.json`);
        const failure: Failure = {
          phase: 'golden fixtures',
          ids,
          lines: [
            ...describeDrift(report),
            `  fixture: ${join(dir, fixtureFileName(fixture))} (${fixture.title})`,
            `  timeline: relspec report ${shellQuote(saved)} --html ${shellQuote(`${fixture.id}.html`)}`,
          ],
          counterexample: fromReplay(fixture, report, report.answers),
        };
        await saveFailure(ctx.options, saved, failure);
        failures.push(failure);
      }
      ctx.progress.tick(fixture.id);
    }
    ctx.progress.stop();
    return { checked: fixtureNumber, failures, advisories: advisories.reports() };
  },
};

// --------------------------------------------------------------- scenarios

/**
 * A phase of generated scenarios. Later phases (broken watcher assumptions,
 * API misuse, crashes) are more of these with their own arbitraries; a
 * phase lists the levels it runs at.
 */
export interface ScenarioPhaseSpec {
  readonly name: string;
  readonly levels: readonly Level[];
  readonly arbitrary: (options: ConformOptions) => fc.Arbitrary<Scenario>;
}

// The assumption-breaking and misuse phases compare results with the
// reference only: the guarantees hold for well-behaved streams alone.
const breakingPhase = (assumption: Assumption): ScenarioPhaseSpec => ({
  name: `${assumption} broken`,
  levels: ['exact', 'strict'],
  arbitrary: (o) => assumptionBreakingScenario(assumption, { maxSteps: o.maxSteps }),
});

export const SCENARIO_PHASES: readonly ScenarioPhaseSpec[] = [
  {
    name: 'well-behaved',
    levels: ['exact', 'strict', 'guarantees'],
    arbitrary: (o) => wellBehavedScenario({ maxSteps: o.maxSteps }),
  },
  breakingPhase('A1'),
  breakingPhase('A2'),
  breakingPhase('A3'),
  breakingPhase('A4'),
  {
    name: 'API misuse',
    levels: ['exact', 'strict'],
    arbitrary: (o) => misuseScenario({ maxSteps: o.maxSteps }),
  },
];

// fast-check tries at most this many smaller scenarios once one has failed.
const MAX_SHRINK_TRIES = 1000;

// The protocol-level pass tries at most this many candidates (a few hundred suffice).
const MAX_PROTOCOL_TRIES = 1000;

// After this many restarts of a crashing implementation, shrinking stops.
const MAX_RESTARTS = 8;

/** Options as the user would type them to replay a counterexample. */
const replayFlags = (o: ConformOptions): string => `--level ${o.level} --max-steps ${o.maxSteps}`;

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const shellQuote = (s: string) => (/^[\w./:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The failure as a document of its own, for `relspec report` (hello is not known here). */
const saveFailure = async (options: ConformOptions, path: string, failure: Failure) => {
  await mkdir(options.failuresDir, { recursive: true });
  const saved = await writeJsonAtomically(
    path,
    failureDocument(options, null, failureRecord(failure)),
  );
  if (E.isLeft(saved)) throw new Error(saved.left);
};

const notDeterministic = (spec: ScenarioPhaseSpec, o: ConformOptions, path: string): Failure => ({
  phase: spec.name,
  ids: [],
  lines: [
    `the counterexample (seed ${o.seed}, path ${path}) passed when run again: the implementation is not deterministic`,
  ],
});

const withCounterexample = (c: Counterexample | undefined) =>
  c === undefined ? {} : { counterexample: c };

/** How a scenario of `spec` is checked on `impl`; `path` names it in a counterexample. */
export const scenarioCheckContext = (
  spec: ScenarioPhaseSpec,
  options: ConformOptions,
  impl: ImplPool,
  tmp: TempRoot,
  path: string,
): CheckContext => ({
  reference: referenceCall,
  impl,
  tmp,
  fixtureId: `conform-${slug(spec.name)}-${options.level}-${options.seed}`,
  origin: { kind: 'generated', seed: options.seed, path },
});

export const scenarioCheck =
  (options: ConformOptions) =>
  (c: CheckContext, scenario: Scenario): Promise<Outcome> =>
    options.level === 'guarantees'
      ? checkGuarantees(c, scenario)
      : checkExact(c, scenario, { level: judgeLevel(options.level) });

export const scenarioPhase = (spec: ScenarioPhaseSpec): Phase => ({
  name: spec.name,
  run: async (ctx) => {
    const { options } = ctx;
    if (!spec.levels.includes(options.level)) {
      return { checked: 0, failures: [], note: `not run at level ${options.level}` };
    }
    const checkCtx = (path: string): CheckContext =>
      scenarioCheckContext(spec, options, ctx.impl, ctx.tmp, path);
    const check = scenarioCheck(options);
    // With workers, the runs go to them first; only a failure is shrunk here,
    // from the failing run's index, as the sequential run would shrink it.
    const parallel = ctx.workers === undefined ? undefined : await ctx.workers.runPhase(spec, ctx);
    if (parallel?.error !== undefined) {
      return { checked: 0, failures: [], setupError: `phase ${spec.name}: ${parallel.error}` };
    }
    const advisories = new Advisories(spec.name);
    // Advisories from the lanes, noted in run order as the sequential run notes them.
    for (const [index, found] of parallel?.advisories ?? []) {
      for (const a of found) {
        ctx.tally.advise([a.rule]);
        advisories.note(a.rule, () => [`  run ${index}: step ${a.step}: ${a.message}`], index);
      }
    }
    const shrunkAdvisories = () =>
      advisories.shrunk((run, rule) => shrinkAdvisory(spec, ctx, checkCtx, check, run, rule));
    if (parallel !== undefined && parallel.firstFailure === undefined) {
      return { checked: parallel.checked, failures: [], advisories: await shrunkAdvisories() };
    }
    const startPath =
      parallel?.firstFailure === undefined ? options.path : String(parallel.firstFailure);
    let checked = parallel?.checked ?? 0;
    /** The outcome of the last failing run: the shrunk counterexample as it failed. */
    let lastFailure: Outcome | undefined;
    let runIndex = -1;
    let failing = false;
    let stopShrinking = false;
    let shrinkStart = 0;
    let shrinkTries = 0;
    let firstTimedOut = false;
    // Protocol steps of the first failing scenario, before any shrinking.
    let stepsBefore = 0;
    // The first failing scenario itself: its run may go on to break a clause.
    let firstFailing: Scenario | undefined;
    let internal: unknown;
    const runs = startPath !== undefined ? 1 : options.runs;
    ctx.progress.start(spec.name, runs);
    const property = fc.asyncProperty(spec.arbitrary(options), async (scenario) => {
      // Past the budget every further candidate "passes": the smallest failure so far stays.
      // A count of candidates bounds shrinking the same way on any machine; the time is a net.
      if (failing) shrinkTries += 1;
      if (
        failing &&
        (shrinkTries > MAX_SHRINK_TRIES ||
          performance.now() - shrinkStart > (options.shrinkBudgetMs ?? 300_000))
      ) {
        stopShrinking = true;
      }
      if (stopShrinking || internal !== undefined || ctx.impl.exhausted()) return true;
      let outcome: Outcome;
      try {
        outcome = await check(checkCtx(''), scenario);
      } catch (e) {
        internal = e;
        return true;
      }
      if (!failing && parallel === undefined) {
        checked += 1;
        runIndex += 1;
        ctx.tally.reach(outcome.reached);
        ctx.progress.tick();
        for (const a of outcome.advisories ?? []) {
          ctx.tally.advise([a.rule]);
          advisories.note(
            a.rule,
            () => [`  run ${runIndex}: step ${a.step}: ${a.message}`],
            runIndex,
          );
        }
      }
      if (outcome.mismatch === undefined) return true;
      lastFailure = outcome;
      const m = outcome.mismatch;
      const timedOut = m._tag === 'Runner' && m.error._tag === 'Timeout';
      // While shrinking a real mismatch, a timeout says the machine was slow, not
      // that the smaller scenario fails the same way: it must not become the
      // counterexample (it would pass when run again).
      if (failing && timedOut && !firstTimedOut) return true;
      if (!failing) {
        ctx.progress.tick('shrinking');
        shrinkStart = performance.now();
        firstTimedOut = timedOut;
        stepsBefore = protocolSteps(outcome);
        firstFailing = scenario;
      }
      failing = true;
      // A hung implementation costs a full timeout per try: keep the first counterexample.
      if (timedOut) stopShrinking = true;
      if (ctx.impl.restarts > (options.maxRestarts ?? MAX_RESTARTS)) stopShrinking = true;
      return false;
    });
    const details = await fc.check(property, {
      seed: options.seed,
      numRuns: runs,
      ...(startPath !== undefined ? { path: startPath, endOnFailure: false } : {}),
    });
    ctx.progress.stop();
    if (internal !== undefined) {
      return {
        checked,
        failures: [],
        setupError: internalErrorLine(`running phase ${spec.name}`, internal),
      };
    }
    const advisoryReports = await shrunkAdvisories();
    if (!details.failed || details.counterexample === null) {
      if (parallel === undefined) return { checked, failures: [], advisories: advisoryReports };
      return {
        checked,
        failures: [notDeterministic(spec, options, startPath ?? '')],
        advisories: advisoryReports,
      };
    }

    const scenario = details.counterexample[0];
    const path = details.counterexamplePath ?? '';
    const cctx = checkCtx(path);
    const again =
      options.level === 'guarantees'
        ? await check(cctx, scenario)
        : await checkExact(cctx, scenario, { level: judgeLevel(options.level), locate: true });
    // A failure that does not reproduce is still a failure: report the run that failed.
    const reproduced = again.mismatch !== undefined;
    const shrunk =
      reproduced || lastFailure === undefined
        ? again
        : { ...lastFailure, fixture: { ...lastFailure.fixture, origin: cctx.origin } };
    if (shrunk.mismatch === undefined) {
      return {
        checked,
        failures: [notDeterministic(spec, options, path)],
        advisories: advisoryReports,
      };
    }
    // Name the clause: the guarantee the implementation's own run breaks.
    const m = shrunk.mismatch;
    const hung = m._tag === 'Runner' && m.error._tag === 'Timeout';
    // The shrunk scenario ends at the first differing answer, often before a
    // wrong hook is delivered; then the first failing scenario, which goes on
    // past it, may show the clause the bug breaks.
    const blameOf = async (s: Scenario | undefined, of: string) => {
      const b = s === undefined ? undefined : await attribute(cctx, s);
      return b === undefined ? undefined : { ...b, of };
    };
    const blame =
      m._tag === 'Violation' || hung
        ? undefined
        : ((await blameOf(scenario, 'the shrunk scenario')) ??
          (await blameOf(firstFailing, 'the first failing scenario')));
    const stepsShrunk = protocolSteps(shrunk);
    // A run that did not reproduce cannot be made smaller: it is reported as it failed.
    const { outcome, tries } =
      options.level !== 'guarantees' && reproduced
        ? await minimizeExact(cctx, shrunk, {
            maxTries: MAX_PROTOCOL_TRIES,
            // Far beyond what the tries take, even on a loaded machine: a net, not a bound.
            budgetMs: 4 * (options.shrinkBudgetMs ?? 300_000),
            maxRestarts: options.maxRestarts ?? MAX_RESTARTS,
            level: judgeLevel(options.level),
          })
        : { outcome: shrunk, tries: 0 };
    const steps = protocolSteps(outcome);
    const ids = failedIds(outcome, blame?.clause);
    ctx.tally.fail(ids);

    await mkdir(options.failuresDir, { recursive: true });
    const fixturePath = join(options.failuresDir, fixtureFileName(outcome.fixture));
    await writeFile(fixturePath, encodeFixture(outcome.fixture));
    const savedPath = join(options.failuresDir, `${outcome.fixture.id}.failure.json`);
    const trace = outcome.implTrace ?? blame?.trace;
    const tracePath = join(options.failuresDir, `${outcome.fixture.id}.trace.jsonl`);
    if (trace !== undefined) {
      await writeFile(tracePath, trace.map((t) => `${stringifyJson(t)}\n`).join(''));
    }
    const impl = shellQuote(options.command);
    const lines = [
      describeMismatch(outcome.mismatch ?? m),
      ...(reproduced
        ? []
        : [
            '  it did NOT reproduce when run again: the implementation is not deterministic; below is the failing run itself',
          ]),
      ...(blame !== undefined
        ? [
            `  clause ${blame.clause}: the implementation's own run of ${blame.of} breaks it at trace event ${blame.event + 1}: ${blame.explanation}`,
          ]
        : []),
      `  failing ids: ${ids.join(' ') || '(none)'}`,
      `  minimal counterexample: ${steps} protocol steps (first failing scenario: ${stepsBefore}; shrunk ${details.numShrinks} times to ${stepsShrunk} (${scenario.steps.length} scenario steps, relation ${scenario.relationId}); ${tries} protocol-level tries to ${steps}):`,
      ...stepList(outcome).map((l) => `  ${l}`),
      `  fixture: ${fixturePath}`,
      `    replay: relspec conform --impl ${impl} --fixtures ${shellQuote(options.failuresDir)} --runs 0`,
      ...(trace !== undefined
        ? [`  implementation trace: ${tracePath} (relspec check ${tracePath})`]
        : []),
      `  seed ${options.seed}, path ${JSON.stringify(path)}`,
      `    replay: relspec conform --impl ${impl} ${replayFlags(options)} --phase ${shellQuote(spec.name)} --seed ${options.seed} --path ${shellQuote(path)}`,
    ];
    const failure: Failure = {
      phase: spec.name,
      ids,
      lines: [
        ...lines,
        `  timeline: relspec report ${shellQuote(savedPath)} --html ${shellQuote(`${outcome.fixture.id}.html`)}`,
      ],
      steps,
      stepsBefore,
      fixturePath,
      ...withCounterexample(fromOutcome(outcome, blame)),
    };
    await saveFailure(options, savedPath, failure);
    return { checked, failures: [failure], advisories: advisoryReports };
  },
});
