import * as t from 'io-ts';
import { CLAUSE_IDS, CLAUSES } from '../../spec/model/clauses.ts';
import type { ConformOptions } from '../conform/phases.ts';
import type { ConformResult } from '../conform/run.ts';
import { Fixture } from '../fixtures/fixture.ts';

/**
 * The machine-readable report of a conformance run (`conform --json`), and
 * of one failure (`<id>.failure.json` beside its fixture). spec/REPORT.md
 * is the prose form of these codecs, spec/report.schema.json the JSON
 * Schema form. Counts add up across documents of the same seed and level,
 * so that shards of one run can be merged.
 */

export const RUN_FORMAT = 'relspec-run';
export const FAILURE_FORMAT = 'relspec-failure';
export const REPORT_VERSION = 1;

const ResponseC = t.union([
  t.type({ ok: t.literal(true), result: t.UnknownRecord }),
  t.type({ ok: t.literal(false), error: t.string }),
]);

const Count = t.refinement(t.Integer, (n) => n >= 0, 'a count (integer >= 0)');

const CounterexampleC = t.intersection([
  t.type({
    fixture: Fixture,
    got: t.readonlyArray(t.union([ResponseC, t.null])),
    mismatch: t.intersection([
      t.type({
        kind: t.keyof({
          drift: null,
          files: null,
          runner: null,
          violation: null,
          'error-missing': null,
        }),
        message: t.string,
      }),
      t.partial({ step: Count }),
    ]),
  }),
  t.partial({ clause: t.type({ id: t.string, explanation: t.string }) }),
]);

const FailureRecordC = t.type({
  phase: t.string,
  ids: t.readonlyArray(t.string),
  /** Protocol steps of the counterexample up to the failing one; null when unknown. */
  steps: t.union([Count, t.null]),
  stepsBefore: t.union([Count, t.null]),
  /** The failure as the terminal prints it. */
  lines: t.readonlyArray(t.string),
  fixturePath: t.union([t.string, t.null]),
  counterexample: t.union([CounterexampleC, t.null]),
});
export type FailureRecord = t.TypeOf<typeof FailureRecordC>;

/** A hardening difference: reported, never a failure (filled by the rule classes). */
const AdvisoryC = t.intersection([
  t.type({ id: t.string, message: t.string }),
  t.partial({ phase: t.string, count: Count }),
]);

const Level = t.keyof({ exact: null, strict: null, guarantees: null });
const Implementation = t.type({ command: t.string, hello: t.union([t.string, t.null]) });

const RunDocumentC = t.intersection([
  t.type({
    format: t.literal(RUN_FORMAT),
    version: t.literal(REPORT_VERSION),
    implementation: Implementation,
    level: Level,
    seed: t.Integer,
    runs: Count,
    maxSteps: Count,
    fixtures: t.union([t.string, t.null]),
    exitCode: t.union([t.literal(0), t.literal(1), t.literal(2)]),
    seconds: t.number,
    phases: t.readonlyArray(
      t.intersection([
        t.type({ name: t.string, checked: Count, failures: Count, seconds: t.number }),
        t.partial({ note: t.string }),
      ]),
    ),
    ids: t.readonlyArray(
      t.intersection([
        t.type({ id: t.string, title: t.string, reached: Count, failed: Count }),
        t.partial({ advised: Count }),
      ]),
    ),
    failures: t.readonlyArray(FailureRecordC),
    advisories: t.readonlyArray(AdvisoryC),
  }),
  t.partial({
    /** `--shard k/n`: which share of the run this document holds. */
    shard: t.type({ k: Count, n: Count }),
    /** Set by `relspec report merge`: how many shard documents it joined. */
    mergedShards: Count,
  }),
]);
export type RunDocument = t.TypeOf<typeof RunDocumentC>;

const FailureDocumentC = t.type({
  format: t.literal(FAILURE_FORMAT),
  version: t.literal(REPORT_VERSION),
  implementation: Implementation,
  level: Level,
  seed: t.Integer,
  failure: FailureRecordC,
});
export type FailureDocument = t.TypeOf<typeof FailureDocumentC>;

export const RunDocument = RunDocumentC as t.Type<RunDocument, unknown, unknown>;
export const FailureDocument = FailureDocumentC as t.Type<FailureDocument, unknown, unknown>;
/** What `relspec report` reads: a run or one failure. */
export const ReportDocument = t.union([RunDocument, FailureDocument], 'report document');
export type ReportDocument = RunDocument | FailureDocument;

export const failureRecord = (f: ConformResult['failures'][number]): FailureRecord => ({
  phase: f.phase,
  ids: f.ids,
  steps: f.steps ?? null,
  stepsBefore: f.stepsBefore ?? null,
  lines: f.lines,
  fixturePath: f.fixturePath ?? null,
  counterexample: f.counterexample ?? null,
});

export const runDocument = (options: ConformOptions, result: ConformResult): RunDocument => ({
  format: RUN_FORMAT,
  version: REPORT_VERSION,
  implementation: { command: options.command, hello: result.hello ?? null },
  level: options.level,
  seed: options.seed,
  runs: options.runs,
  maxSteps: options.maxSteps,
  fixtures: options.fixturesDir,
  exitCode: result.exitCode,
  seconds: result.seconds,
  phases: result.phases,
  ids: result.tally.sorted(CLAUSE_IDS).map(([id, row]) => ({
    id,
    title: CLAUSES[id as keyof typeof CLAUSES] ?? '',
    reached: row.reached,
    failed: row.failed,
    advised: row.advised,
  })),
  failures: result.failures.map(failureRecord),
  advisories: result.advisories.map((a) => ({
    id: a.rule,
    message: a.lines.map((l) => l.trim()).join('\n'),
    phase: a.phase,
    count: a.count,
  })),
  ...(options.shard !== undefined
    ? { shard: { k: options.shard.index, n: options.shard.count } }
    : {}),
});

export const failureDocument = (
  options: Pick<ConformOptions, 'command' | 'level' | 'seed'>,
  hello: string | null,
  failure: FailureRecord,
): FailureDocument => ({
  format: FAILURE_FORMAT,
  version: REPORT_VERSION,
  implementation: { command: options.command, hello },
  level: options.level,
  seed: options.seed,
  failure,
});
