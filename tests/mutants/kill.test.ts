import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RUNS, DEFAULT_SEED, REFERENCE_COMMAND } from '../../src/cli/commands/conform.ts';
import type { ConformOptions, Failure, Level } from '../../src/conform/phases.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { ruleClass } from '../../src/conform/ruleClass.ts';
import { type ConformResult, runConform } from '../../src/conform/run.ts';
import { MUTANT_RULES, MUTANTS, type MutantRule } from '../impls/mutants/rules.ts';

// The oracle's power, proven: `conform --level exact` with its default run
// count and seed must kill every single-rule mutant of tests/impls/mutants
// (each differs from the reference in one rule id only), with a short
// counterexample; and on the reference every rule id must be reached.
// Where the mutated rule is not juju (spec/RULES.md, "Rule classes"): a
// mutant of a hardening rule must be killed at --level strict (at exact it
// is killed or reported as an advisory naming its rule), and a mutant that
// differs only at an undefined point is Juju's own behaviour: it must
// conform (RULES.md, "Single-rule mutants that are now Juju's behaviour").
// Each mutant is also run with `--no-fixtures` (hardening ones at strict):
// a new bug that no golden fixture names meets the generated phases, and
// their counterexample must be as short (or the exception argued in
// spec/RULES.md).

const MAX_STEPS = 8;
// Mutants run a few at a time: each is a process, and a loaded machine makes every start slow.
const CONCURRENCY = 3;
// Shrinking stops after a fixed number of candidates; this time limit is only a
// net, far above what they take even on a loaded machine, so that the
// counterexample (and its length) is the same on any machine.
const SHRINK_BUDGET_MS = 600_000;

const root = await mkdtemp(join(tmpdir(), 'relspec-mutants-'));

/** Mutants whose only difference is at an undefined point: they behave as Go did. */
const FAITHFUL: readonly MutantRule[] = ['Q-UNKNOWN-DEPARTURE-ERROR', 'R-WRITE-AFTER-BROKEN'];

const options = (
  command: string,
  name: string,
  level: Level,
  fixtures: boolean,
): ConformOptions => ({
  command,
  level,
  runs: DEFAULT_RUNS,
  seed: DEFAULT_SEED,
  timeoutMs: 20_000,
  fixturesDir: fixtures ? 'fixtures' : null,
  failuresDir: join(root, name),
  maxSteps: 25,
  shrinkBudgetMs: SHRINK_BUDGET_MS,
  // A kill needs one failing phase; the phases after it would only cost time.
  failFast: true,
});

let active = 0;
const waiting: (() => void)[] = [];
const slot = async () => {
  if (active >= CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  active += 1;
};
const release = () => {
  active -= 1;
  waiting.shift()?.();
};

interface Run {
  readonly result: ConformResult;
  readonly lines: readonly string[];
  readonly seconds: number;
}

interface RunOptions {
  readonly level?: Level;
  readonly fixtures?: boolean;
  /** A mutant that dies where Go panicked is restarted each time: fewer runs keep it short. */
  readonly few?: boolean;
}

const run = async (command: string, name: string, o: RunOptions = {}): Promise<Run> => {
  await slot();
  const t0 = performance.now();
  try {
    const lines: string[] = [];
    const opts = {
      ...options(command, name, o.level ?? 'exact', o.fixtures ?? true),
      ...(o.few === true ? { runs: 20 } : {}),
    };
    const result = await runConform(opts, (l) => lines.push(l), silentProgress);
    return { result, lines, seconds: (performance.now() - t0) / 1000 };
  } finally {
    release();
  }
};

const mutantCommand = (rule: string) =>
  `node --import tsx ${join('tests', 'impls', 'mutants', 'serve.ts')} ${rule}`;

/** Protocol steps up to the failing one: the scenario's count, or the fixture's first drifting step. */
const stepsOf = async (f: Failure): Promise<number | undefined> => {
  if (f.steps !== undefined) return f.steps;
  for (const line of f.lines) {
    const step = /^\s+step (\d+) \(/.exec(line);
    if (step !== null) return Number(step[1]);
  }
  // Only the files differ: the whole fixture is the counterexample.
  const path = f.lines
    .map((l) => /^\s+fixture: (\S+\.json)/.exec(l)?.[1])
    .find((p) => p !== undefined);
  if (path === undefined) return undefined;
  const fixture = JSON.parse(await readFile(path, 'utf8')) as { steps: unknown[] };
  return fixture.steps.length;
};

interface Kill {
  readonly rule: MutantRule;
  readonly killed: boolean;
  /** Rules named by advisories of the exact run. */
  readonly advised: readonly string[];
  /** At --level strict (hardening rules only). */
  readonly killedStrict?: boolean;
  readonly steps: number | undefined;
  /** Protocol steps of the first failing scenario, before shrinking. */
  readonly before: number | undefined;
  readonly phase: string;
  readonly seconds: number;
  readonly lines: readonly string[];
}

const kill = async (rule: MutantRule, fixtures: boolean): Promise<Kill> => {
  const hardening = ruleClass(rule) === 'hardening';
  const few = FAITHFUL.includes(rule);
  const r = fixtures
    ? await run(mutantCommand(rule), rule, { few })
    : // Without fixtures a hardening mutant is only advised at exact: it is killed at strict.
      await run(mutantCommand(rule), `${rule}-generated`, {
        fixtures: false,
        few,
        level: hardening ? 'strict' : 'exact',
      });
  const strict =
    fixtures && hardening
      ? await run(mutantCommand(rule), `${rule}-strict`, { level: 'strict' })
      : undefined;
  let best: Pick<Kill, 'steps' | 'before' | 'phase'> = {
    steps: undefined,
    before: undefined,
    phase: '-',
  };
  for (const f of [...r.result.failures, ...(strict?.result.failures ?? [])]) {
    const steps = await stepsOf(f);
    if (steps !== undefined && (best.steps === undefined || steps < best.steps)) {
      best = { steps, before: f.stepsBefore ?? steps, phase: f.phase };
    }
  }
  return {
    rule,
    killed: r.result.exitCode === 1,
    advised: r.result.advisories.map((a) => a.rule),
    ...(strict === undefined ? {} : { killedStrict: strict.result.exitCode === 1 }),
    ...best,
    seconds: r.seconds + (strict?.seconds ?? 0),
    lines: [...r.lines, ...(strict?.lines ?? [])],
  };
};

const rulesText = readFileSync('spec/RULES.md', 'utf8');
const idsInSection = (title: string): string[] => {
  const section = rulesText.split(`## ${title}`)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/`([RQ]-[A-Z0-9-]+)`/g)].map((m) => m[1] as string);
};
/** Mutants only the golden fixtures kill: the generated phases cannot build their input (argued). */
const FIXTURES_ONLY = idsInSection('Rules only the golden fixtures reach');
/** Generated-phase kills allowed more than MAX_STEPS protocol steps (argued). */
const LONG_ALLOWED = idsInSection('Counterexamples longer than eight steps');
/**
 * The argued survivors go through all 1,200 generated scenarios each, the
 * dearest runs of all; they are left out unless RELSPEC_MUTANTS=all.
 */
const ALL = process.env.RELSPEC_MUTANTS === 'all';
// Faithful mutants conform with or without fixtures: nothing to kill.
const GENERATED_RULES = MUTANT_RULES.filter(
  (r) => !FAITHFUL.includes(r) && (ALL || !FIXTURES_ONLY.includes(r)),
);

// Started by the first test, not at import: uvu imports every test file
// before running any, and these processes should not compete with them.
let started:
  | {
      reference: Promise<Run>;
      kills: Map<MutantRule, Promise<Kill>>;
      generated: Map<MutantRule, Promise<Kill>>;
    }
  | undefined;
const start = () => {
  started ??= {
    reference: run(REFERENCE_COMMAND, 'reference'),
    kills: new Map(MUTANT_RULES.map((rule) => [rule, kill(rule, true)] as const)),
    generated: new Map(GENERATED_RULES.map((rule) => [rule, kill(rule, false)] as const)),
  };
  return started;
};

/** How many kills need 1, 2, ... steps, as a Markdown table row. */
const distribution = (kills: readonly Kill[]): string[] => {
  const steps = kills
    .filter((k) => k.killed && k.steps !== undefined)
    .map((k) => k.steps as number);
  const top = Math.max(MAX_STEPS, ...steps);
  const cols = Array.from({ length: top }, (_, i) => i + 1);
  return [
    `| steps | ${cols.join(' | ')} |`,
    `| --- | ${cols.map(() => '--:').join(' | ')} |`,
    `| mutants killed | ${cols.map((c) => steps.filter((s) => s === c).length).join(' | ')} |`,
  ];
};

test('the reference conforms, and every mutated rule id is reached', async () => {
  const r = await start().reference;
  assert.is(r.result.exitCode, 0, r.lines.join('\n'));
  const unreached = MUTANT_RULES.filter((id) => (r.result.tally.rows.get(id)?.reached ?? 0) === 0);
  assert.equal(unreached, [], 'rule ids reached by no scenario or fixture');
});

for (const rule of MUTANT_RULES) {
  const cls = ruleClass(rule);
  const faithful = FAITHFUL.includes(rule);
  const what = faithful
    ? 'conforms: it is what Go does'
    : cls === 'hardening'
      ? 'is killed at --level strict, and at exact killed or advised'
      : 'is killed';
  test(`mutant ${rule} (${MUTANTS[rule]}) ${what}`, async () => {
    const k = await (start().kills.get(rule) as Promise<Kill>);
    console.log(
      `  kill ${rule}: ${k.killed ? `${k.steps ?? '?'} protocol steps (${k.phase})` : k.advised.length > 0 ? `advised ${k.advised.join(' ')}` : 'SURVIVED'}${k.killedStrict === undefined ? '' : `, strict: ${k.killedStrict ? 'killed' : 'SURVIVED'}`}, ${k.seconds.toFixed(1)} s`,
    );
    if (faithful) {
      assert.is(cls, 'undefined', `${rule} is argued faithful, so its rule must be undefined`);
      assert.not.ok(k.killed, `${rule} behaves as Go did, yet failed conform --level exact`);
    } else if (cls === 'hardening') {
      assert.ok(k.killedStrict, `${rule} survived conform --level strict`);
      assert.ok(
        k.killed || k.advised.includes(rule),
        `${rule}: neither killed nor advised at exact`,
      );
    } else {
      assert.ok(k.killed, `${rule} survived conform --level exact`);
    }
  });
}

const table = (all: readonly Kill[]): string =>
  [
    '',
    '| rule | steps | first failing scenario | phase | seconds |',
    '| --- | ---: | ---: | --- | ---: |',
    ...all.map(
      (k) =>
        `| ${k.rule} | ${k.killed || k.killedStrict === true ? (k.steps ?? '?') : 'survived'}${k.killedStrict === undefined ? '' : ' (strict)'} | ${k.before ?? '-'} | ${k.phase} | ${k.seconds.toFixed(1)} |`,
    ),
    '',
    ...distribution(all),
  ].join('\n');

test(`every kill has a counterexample of at most ${MAX_STEPS} protocol steps`, async () => {
  const all = await Promise.all(start().kills.values());
  console.log(table(all));
  const long = all.filter(
    (k) => (k.killed || k.killedStrict === true) && (k.steps === undefined || k.steps > MAX_STEPS),
  );
  assert.equal(
    long.map((k) => `${k.rule}: ${k.steps}`),
    [],
  );
});

test(`--no-fixtures: every kill of the generated phases needs at most ${MAX_STEPS} protocol steps`, async () => {
  const all = await Promise.all(start().generated.values());
  console.log(`\nwithout the golden fixtures (--no-fixtures):${table(all)}`);
  const long = all.filter(
    (k) =>
      k.killed && (k.steps === undefined || k.steps > MAX_STEPS) && !LONG_ALLOWED.includes(k.rule),
  );
  // The counterexample itself, so that a failure here shows what to look at.
  const shown = (k: Kill) => k.lines.filter((l) => /^FAIL|^ {2}(minimal|-- | *✗? *\d+\.)/.test(l));
  assert.equal(
    long.map((k) => `${k.rule}: ${k.steps}\n${shown(k).join('\n')}`),
    [],
  );
});

test('--no-fixtures: the generated phases kill every mutant but those argued to need fixtures', async () => {
  assert.ok(FIXTURES_ONLY.length > 0, 'spec/RULES.md: "Rules only the golden fixtures reach"');
  if (!ALL)
    console.log(
      `  not run without fixtures (RELSPEC_MUTANTS=all runs them): ${FIXTURES_ONLY.join(' ')}`,
    );
  const all = await Promise.all(start().generated.values());
  assert.equal(
    all.filter((k) => !k.killed).map((k) => k.rule),
    ALL ? GENERATED_RULES.filter((r) => FIXTURES_ONLY.includes(r)) : [],
    'survivors of conform --no-fixtures (spec/RULES.md, "Rules only the golden fixtures reach")',
  );
});

test.after(async () => {
  await rm(root, { recursive: true, force: true });
});

test.run();
