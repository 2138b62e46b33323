import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REFERENCE_COMMAND } from '../../src/cli/commands/conform.ts';
import type { ConformOptions } from '../../src/conform/phases.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { type ConformResult, runConform } from '../../src/conform/run.ts';
import type { Shard } from '../../src/conform/shard.ts';

// --jobs and --shard change how scenarios are spread, never what is found:
// two jobs print what one job prints (verdicts, tallies, the shrunk
// counterexample and its path), and the shards of a run add up to it.

const root = await mkdtemp(join(tmpdir(), 'relspec-jobs-'));
const MUTANT = `node --import tsx ${join('tests', 'impls', 'lost-queue-order.ts')}`;

const options = (
  command: string,
  name: string,
  extra: Partial<ConformOptions>,
): ConformOptions => ({
  command,
  level: 'exact',
  runs: 40,
  seed: 20150312,
  // Generous: a loaded machine must not turn slowness into a verdict.
  timeoutMs: 30_000,
  fixturesDir: null,
  failuresDir: join(root, name),
  maxSteps: 15,
  shrinkBudgetMs: 600_000,
  ...extra,
});

interface Run {
  readonly result: ConformResult;
  readonly lines: readonly string[];
}

const run = async (o: ConformOptions): Promise<Run> => {
  const lines: string[] = [];
  const result = await runConform(o, (l) => lines.push(l), silentProgress);
  return { result, lines };
};

/** The report without what may differ between equal runs: times and the failures folder. */
const normal = (r: Run, dir: string): string[] =>
  r.lines.map((l) => l.replace(/\([0-9.]+ s\)/g, '(t)').replaceAll(dir, 'FAILURES'));

test('--jobs 2 finds the same failures and counterexamples as --jobs 1', async () => {
  const phase = { phase: 'well-behaved' };
  const one = await run(options(MUTANT, 'one', { ...phase, jobs: 1 }));
  const two = await run(options(MUTANT, 'two', { ...phase, jobs: 2 }));
  assert.is(one.result.exitCode, 1, one.lines.join('\n'));
  assert.equal(normal(two, join(root, 'two')), normal(one, join(root, 'one')));
  assert.ok(one.lines.some((l) => l.includes('minimal counterexample')));
});

test('the shards of a run together make the run, each scenario once', async () => {
  // One scenario phase and the golden fixtures, which are sharded too.
  const some = { phase: 'API misuse', fixturesDir: 'fixtures' };
  const whole = await run(options(REFERENCE_COMMAND, 'whole', { ...some, jobs: 1 }));
  const shards: Run[] = [];
  for (const k of [1, 2, 3]) {
    const shard: Shard = { index: k, count: 3 };
    shards.push(await run(options(REFERENCE_COMMAND, `shard-${k}`, { ...some, jobs: 2, shard })));
  }
  assert.is(whole.result.exitCode, 0, whole.lines.join('\n'));
  const checked = (r: Run) =>
    r.lines
      .map((l) => /: (\d+) checked/.exec(l)?.[1])
      .filter((n) => n !== undefined)
      .map(Number);
  const sum = shards.map(checked).reduce((a, b) => a.map((n, i) => n + (b[i] ?? 0)));
  assert.equal(sum, checked(whole));
  assert.ok((checked(whole)[0] ?? 0) > 0, 'no fixture checked');
  for (const [id, row] of whole.result.tally.rows) {
    const reached = shards.reduce((n, s) => n + (s.result.tally.rows.get(id)?.reached ?? 0), 0);
    assert.is(
      reached,
      row.reached,
      `${id} reached ${reached} times in the shards, ${row.reached} in the run`,
    );
  }
});

test.after(() => rm(root, { recursive: true, force: true }));

test.run();
