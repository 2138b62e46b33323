import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REFERENCE_COMMAND } from '../../src/cli/commands/conform.ts';
import type { ConformOptions } from '../../src/conform/phases.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { type ConformResult, runConform } from '../../src/conform/run.ts';

// `conform` against `relspec serve` (must pass) and against each broken
// implementation of tests/impls (must fail, naming the clause or rule the
// bug breaks, with a small counterexample). The runs start together so the
// process start-up costs overlap; each test then awaits its own.

const impl = (name: string) => `node --import tsx ${join('tests', 'impls', `${name}.ts`)}`;

const failuresRoot = await mkdtemp(join(tmpdir(), 'relspec-conform-test-'));

const options = (command: string, extra: Partial<ConformOptions> = {}): ConformOptions => ({
  command,
  level: 'exact',
  runs: 100,
  seed: 20150312,
  // Generous: a loaded CI machine must not turn slowness into a verdict.
  timeoutMs: 20_000,
  fixturesDir: null,
  failuresDir: join(failuresRoot, String(Math.random()).slice(2)),
  maxSteps: 15,
  // A net only: shrinking stops after a fixed number of candidates.
  shrinkBudgetMs: 600_000,
  maxRestarts: 2,
  ...extra,
});

interface Run {
  readonly result: ConformResult;
  readonly lines: readonly string[];
}

// A few runs at a time: each starts a process, and a loaded machine makes
// every start slow.
const CONCURRENCY = 4;
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

const run = async (o: ConformOptions): Promise<Run> => {
  await slot();
  try {
    const lines: string[] = [];
    const result = await runConform(o, (l) => lines.push(l), silentProgress);
    return { result, lines };
  } finally {
    release();
  }
};

// Each run starts when its test first asks for it, not at import: uvu imports
// every test file before running any, and the runs would load the machine
// under all of them.
const lazy = <A>(start: () => Promise<A>): (() => Promise<A>) => {
  let started: Promise<A> | undefined;
  return () => {
    started ??= start();
    return started;
  };
};

const runs = {
  reference: lazy(() => run(options(REFERENCE_COMMAND, { runs: 60, fixturesDir: 'fixtures' }))),
  referenceGuarantees: lazy(() =>
    run(options(REFERENCE_COMMAND, { runs: 40, level: 'guarantees' })),
  ),
  noChangedAfterJoined: lazy(() => run(options(impl('no-changed-after-joined')))),
  staleVersion: lazy(() => run(options(impl('stale-version')))),
  lostQueueOrder: lazy(() => run(options(impl('lost-queue-order')))),
  departedBeforeChanged: lazy(() => run(options(impl('departed-before-changed')))),
  brokenBeforeDepartures: lazy(() => run(options(impl('broken-before-departures')))),
  wrongValidateText: lazy(() => run(options(impl('wrong-validate-text')))),
  equalVersionIgnored: lazy(() => run(options(impl('equal-version-ignored')))),
  departedKeepsFile: lazy(() => run(options(impl('departed-keeps-file')))),
  guaranteesLostOrder: lazy(() => run(options(impl('lost-queue-order'), { level: 'guarantees' }))),
  diesOnDying: lazy(() => run(options(impl('dies-on-dying')))),
  hangsOnDying: lazy(() =>
    run(options(impl('hangs-on-dying'), { timeoutMs: 300, startTimeoutMs: 60_000 })),
  ),
};

const show = (r: Run) => r.lines.join('\n');

/** The run failed once, in the scenario phase, on `id`, with at most `maxSteps` protocol steps. */
const caught = async (pending: Promise<Run>, id: string, maxSteps: number) => {
  const r = await pending;
  assert.is(r.result.exitCode, 1, show(r));
  const failure = r.result.failures[0];
  assert.ok(failure !== undefined, show(r));
  if (failure === undefined) return;
  assert.ok(failure.ids.includes(id), `expected ${id} among ${failure.ids.join(' ')}\n${show(r)}`);
  assert.ok(
    failure.steps !== undefined && failure.steps <= maxSteps,
    `counterexample of ${failure.steps} steps\n${show(r)}`,
  );
  // The counterexample is written as a fixture the user can replay.
  assert.ok(failure.fixturePath !== undefined);
  if (failure.fixturePath !== undefined) {
    const dir = join(failure.fixturePath, '..');
    assert.ok((await readdir(dir)).some((f) => f.endsWith('.json')));
  }
  assert.ok(r.lines.some((l) => l.includes('seed 20150312, path')));
};

test('conform: relspec serve conforms at level exact (fixtures and scenarios)', async () => {
  // Start every run now so their process start-ups overlap (CONCURRENCY at a time).
  for (const start of Object.values(runs)) void start();
  const r = await runs.reference();
  assert.is(r.result.exitCode, 0, show(r));
  assert.ok(
    r.lines.some((l) => /^golden fixtures: \d+ checked, pass/.test(l)),
    show(r),
  );
  assert.ok(
    r.lines.some((l) => l.startsWith('well-behaved: 60 checked, pass')),
    show(r),
  );
  // The closing table: every guarantee clause is reached by some scenario.
  for (const clause of ['G1', 'G2', 'G3a', 'G4b', 'G5b', 'G7a', 'G7b', 'G8b', 'G8c', 'G9b']) {
    const row = r.result.tally.rows.get(clause);
    assert.ok(row !== undefined && row.reached > 0, `${clause} not reached`);
  }
});

test('conform: relspec serve conforms at level guarantees', async () => {
  const r = await runs.referenceGuarantees();
  assert.is(r.result.exitCode, 0, show(r));
});

test('conform G2: no relation-changed after relation-joined is caught', async () => {
  await caught(runs.noChangedAfterJoined(), 'G2', 15);
});

test('conform G5a: a stale version for a queued unit is caught', async () => {
  await caught(runs.staleVersion(), 'G5a', 20);
});

test('conform G8b: a replaced pending hook losing its queue place is caught', async () => {
  await caught(runs.lostQueueOrder(), 'G8b', 15);
});

test('conform G8b: departures queued before changes are caught', async () => {
  await caught(runs.departedBeforeChanged(), 'G8b', 25);
});

test('conform G4b: relation-broken before the departures is caught', async () => {
  await caught(runs.brokenBeforeDepartures(), 'G4b', 20);
});

test('conform R-VALIDATE-JOINED: a wrong Validate text is caught', async () => {
  await caught(runs.wrongValidateText(), 'R-VALIDATE-JOINED', 6);
});

test('conform G5b: ignoring the equal-version rule is caught', async () => {
  await caught(runs.equalVersionIgnored(), 'G5b', 30);
});

test('conform R-WRITE-DEPARTED: a departed write that keeps the file is caught', async () => {
  await caught(runs.departedKeepsFile(), 'R-WRITE-DEPARTED', 30);
});

test('conform --level guarantees: the monitor names G8b for a lost queue order', async () => {
  await caught(runs.guaranteesLostOrder(), 'G8b', 40);
});

test('conform: a dying implementation gets a verdict with its exit code and stderr', async () => {
  const r = await runs.diesOnDying();
  assert.is(r.result.exitCode, 1, show(r));
  const text = show(r);
  assert.match(text, 'exited with code 3');
  assert.match(text, 'panic: dying source not implemented');
  // Replayed one request at a time, the counterexample ends at the request that killed it.
  const failure = r.result.failures[0];
  assert.ok(failure?.ids.includes('R-DYING-ORDER'), text);
  assert.ok(failure?.steps !== undefined && failure.steps <= 8, text);
});

test('conform: a hung implementation gets a timeout verdict, not a hang', async () => {
  const r = await runs.hangsOnDying();
  assert.is(r.result.exitCode, 1, show(r));
  assert.match(show(r), 'within 300 ms');
});

test('conform: an implementation that does not start is a setup error (exit 2)', async () => {
  const r = await run(options('relspec-no-such-implementation-xyz'));
  assert.is(r.result.exitCode, 2, show(r));
  assert.match(show(r), 'hello failed');
});

test.after(async () => {
  await rm(failuresRoot, { recursive: true, force: true });
});

test.run();
