import * as E from 'fp-ts/lib/Either.js';
import { CLAUSE_IDS } from '../../spec/model/clauses.ts';
import { internalErrorLine } from '../cli/internalError.ts';
import {
  closingLines,
  failureLines,
  type PhaseSummary,
  phaseLine,
  shardLine,
} from '../report/summary.ts';
import type { AdvisoryReport } from './advisories.ts';
import { advisoryLines } from './format.ts';
import { helloLine, type ImplLimits, ImplPool } from './impl.ts';
import {
  type ConformOptions,
  type Failure,
  fixturesPhase,
  type Phase,
  SCENARIO_PHASES,
  scenarioPhase,
} from './phases.ts';
import type { Progress } from './progress.ts';
import { observableRuleIds } from './ruleIds.ts';
import { Tally } from './tally.ts';
import { TempRoot } from './tmp.ts';
import { ScenarioWorkers } from './workers.ts';

/** 0: conforms; 1: nonconformance found; 2: the run could not be made (usage, setup, hello). */
export type ExitCode = 0 | 1 | 2;

export interface ConformResult {
  readonly exitCode: ExitCode;
  readonly failures: readonly Failure[];
  /** Hardenings met at level exact: reported, never failing (at strict they are failures). */
  readonly advisories: readonly AdvisoryReport[];
  readonly tally: Tally;
  /** What hello said, when the implementation answered it. */
  readonly hello?: string;
  readonly phases: readonly PhaseSummary[];
  readonly seconds: number;
}

/** The phases in order; `--phase` keeps only the named scenario phase. */
export const phasesFor = (options: ConformOptions): Phase[] => {
  const scenarios = SCENARIO_PHASES.filter(
    (p) => options.phase === undefined || p.name === options.phase,
  ).map(scenarioPhase);
  // Replaying one counterexample (--path) skips the fixtures: it is about that scenario only.
  return options.path !== undefined ? scenarios : [fixturesPhase, ...scenarios];
};

/**
 * Worker threads for --jobs above 1 or a --shard; none for one job over
 * every run, or for replaying one counterexample (--path).
 */
const startWorkers = async (
  options: ConformOptions,
): Promise<E.Either<string, ScenarioWorkers | undefined>> => {
  const jobs = options.jobs ?? 1;
  if (options.path !== undefined || (jobs <= 1 && options.shard === undefined)) {
    return E.right(undefined);
  }
  const started = await ScenarioWorkers.start({ options }, Math.max(1, jobs));
  return E.mapLeft((e: string) => `cannot start ${jobs} scenario workers: ${e}`)(started);
};

const GAVE_UP = 'the implementation timed out or died too many times in a row';

export const implLimits = (o: ConformOptions): ImplLimits => ({
  timeoutMs: o.timeoutMs,
  ...(o.startTimeoutMs === undefined ? {} : { startTimeoutMs: o.startTimeoutMs }),
  ...(o.maxLineBytes === undefined ? {} : { maxLineBytes: o.maxLineBytes }),
  ...(o.maxOutputBytes === undefined ? {} : { maxOutputBytes: o.maxOutputBytes }),
  ...(o.giveUpAfter === undefined ? {} : { giveUpAfter: o.giveUpAfter }),
});

/** Writes outside the scenario directories during a phase, as one failure. */
const escapeFailure = (phase: string, tmp: TempRoot): Failure | undefined => {
  const escapes = tmp.takeEscapes();
  if (escapes.length === 0) return undefined;
  const shown = escapes.slice(0, 20);
  return {
    phase,
    ids: [],
    lines: [
      `the implementation wrote outside its scenario directory (${escapes.length} path(s)):`,
      ...shown.map((e) => `  ${e.path} (while its directory was ${e.scenario})`),
      ...(escapes.length > shown.length ? [`  ... and ${escapes.length - shown.length} more`] : []),
    ],
  };
};

export const runConform = async (
  options: ConformOptions,
  out: (line: string) => void,
  progress: Progress,
): Promise<ConformResult> => {
  const tally = new Tally();
  tally.declare(CLAUSE_IDS.filter((c) => !c.startsWith('A') || options.level === 'guarantees'));
  // Rule ids are reached through the exact comparison of results (fixtures and scenarios).
  if (options.level !== 'guarantees') tally.declare(observableRuleIds());
  const impl = new ImplPool(options.command, implLimits(options));
  const started = performance.now();
  out(`implementation: ${options.command}`);
  const hello = await impl.start();
  if (E.isLeft(hello)) {
    await impl.close();
    out(hello.left);
    return { exitCode: 2, failures: [], advisories: [], tally, phases: [], seconds: 0 };
  }
  out(`hello: ${helloLine(hello.right)}`);
  if (options.shard !== undefined) {
    out(shardLine(options.shard.index, options.shard.count, options.seed));
  }
  const phases: PhaseSummary[] = [];
  const workers = await startWorkers(options);
  if (E.isLeft(workers)) {
    await impl.close();
    out(workers.left);
    return {
      exitCode: 2,
      failures: [],
      advisories: [],
      tally,
      hello: helloLine(hello.right),
      phases,
      seconds: 0,
    };
  }
  const tmp = await TempRoot.create({
    ...(options.watch === undefined ? {} : { watch: options.watch }),
    ignore: [options.failuresDir],
  });
  const failures: Failure[] = [];
  const advisories: AdvisoryReport[] = [];
  let exitCode: ExitCode = 0;
  try {
    for (const phase of phasesFor(options)) {
      if (impl.exhausted()) {
        out(`${phase.name}: not run: ${GAVE_UP}`);
        continue;
      }
      const t0 = performance.now();
      let result: Awaited<ReturnType<Phase['run']>>;
      try {
        result = await phase.run({
          options,
          impl,
          tmp,
          tally,
          out,
          progress,
          ...(workers.right === undefined ? {} : { workers: workers.right }),
        });
      } catch (e) {
        result = {
          checked: 0,
          failures: [],
          setupError: internalErrorLine(`running phase ${phase.name}`, e),
        };
      }
      const escaped = escapeFailure(phase.name, tmp);
      if (escaped !== undefined) result = { ...result, failures: [...result.failures, escaped] };
      const seconds = (performance.now() - t0) / 1000;
      if (result.setupError !== undefined) {
        out(`${phase.name}: cannot run: ${result.setupError}`);
        exitCode = 2;
        break;
      }
      const summary: PhaseSummary = {
        name: phase.name,
        checked: result.checked,
        ...(result.note === undefined ? {} : { note: result.note }),
        failures: result.failures.length,
        seconds,
      };
      phases.push(summary);
      out(phaseLine(summary));
      for (const f of result.failures) for (const line of failureLines(f)) out(line);
      failures.push(...result.failures);
      advisories.push(...(result.advisories ?? []));
      if (options.failFast === true && result.failures.length > 0) break;
    }
  } finally {
    await impl.close();
    await workers.right?.close();
    await tmp.remove();
  }
  for (const problem of tmp.takeProblems()) out(`warning: clean-up: ${problem}`);
  if (exitCode === 0 && failures.length > 0) exitCode = 1;
  for (const line of advisoryLines(advisories)) out(line);
  const seconds = (performance.now() - started) / 1000;
  const rows = tally.sorted(CLAUSE_IDS);
  const advised = advisories.map((a) => a.rule);
  for (const line of closingLines(
    rows,
    exitCode,
    options.level,
    failures.length,
    seconds,
    advised,
  )) {
    out(line);
  }
  return {
    exitCode,
    failures,
    advisories,
    tally,
    hello: helloLine(hello.right),
    phases,
    seconds,
  };
};
