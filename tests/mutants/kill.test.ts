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

const MAX_STEPS = 8;
// Mutants run a few at a time: each is a process, and a loaded machine makes every start slow.
const CONCURRENCY = 3;
// Shrinking stops after this long with the smallest counterexample so far.
// Generous, so that a loaded machine does not stop shrinking early.
const SHRINK_BUDGET_MS = 30_000;

const root = await mkdtemp(join(tmpdir(), 'relspec-mutants-'));

/** Mutants whose only difference is at an undefined point: they behave as Go did. */
const FAITHFUL: readonly MutantRule[] = ['Q-UNKNOWN-DEPARTURE-ERROR', 'R-WRITE-AFTER-BROKEN'];

const options = (command: string, name: string, level: Level = 'exact'): ConformOptions => ({
  command,
  level,
  runs: DEFAULT_RUNS,
  seed: DEFAULT_SEED,
  timeoutMs: 20_000,
  fixturesDir: 'fixtures',
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

const run = async (command: string, name: string, level: Level = 'exact'): Promise<Run> => {
  await slot();
  const t0 = performance.now();
  try {
    const lines: string[] = [];
    // A mutant that dies where Go panicked is restarted each time: fewer runs keep it short.
    const faithful = FAITHFUL.includes(name as MutantRule);
    const opts = { ...options(command, name, level), ...(faithful ? { runs: 20 } : {}) };
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
  readonly phase: string;
  readonly seconds: number;
}

const kill = async (rule: MutantRule): Promise<Kill> => {
  const r = await run(mutantCommand(rule), rule);
  let best: { steps: number | undefined; phase: string } = { steps: undefined, phase: '-' };
  let seconds = r.seconds;
  const strict =
    ruleClass(rule) === 'hardening'
      ? await run(mutantCommand(rule), `${rule}-strict`, 'strict')
      : undefined;
  for (const f of [...r.result.failures, ...(strict?.result.failures ?? [])]) {
    const steps = await stepsOf(f);
    if (steps !== undefined && (best.steps === undefined || steps < best.steps)) {
      best = { steps, phase: f.phase };
    }
  }
  seconds += strict?.seconds ?? 0;
  return {
    rule,
    killed: r.result.exitCode === 1,
    advised: r.result.advisories.map((a) => a.rule),
    ...(strict === undefined ? {} : { killedStrict: strict.result.exitCode === 1 }),
    ...best,
    seconds,
  };
};

// Started by the first test, not at import: uvu imports every test file
// before running any, and these processes should not compete with them.
let started: { reference: Promise<Run>; kills: Map<MutantRule, Promise<Kill>> } | undefined;
const start = () => {
  started ??= {
    reference: run(REFERENCE_COMMAND, 'reference'),
    kills: new Map(MUTANT_RULES.map((rule) => [rule, kill(rule)] as const)),
  };
  return started;
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

test(`every kill has a counterexample of at most ${MAX_STEPS} protocol steps`, async () => {
  const all = await Promise.all(start().kills.values());
  const rows = all.map(
    (k) =>
      `| ${k.rule} | ${k.killed || k.killedStrict === true ? (k.steps ?? '?') : 'survived'}${k.killedStrict === undefined ? '' : ' (strict)'} | ${k.phase} | ${k.seconds.toFixed(1)} |`,
  );
  console.log(
    ['', '| rule | steps | phase | seconds |', '| --- | ---: | --- | ---: |', ...rows].join('\n'),
  );
  const long = all.filter(
    (k) => (k.killed || k.killedStrict === true) && (k.steps === undefined || k.steps > MAX_STEPS),
  );
  assert.equal(
    long.map((k) => `${k.rule}: ${k.steps}`),
    [],
  );
});

test.after(async () => {
  await rm(root, { recursive: true, force: true });
});

test.run();
