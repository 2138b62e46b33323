import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RUNS, DEFAULT_SEED, REFERENCE_COMMAND } from '../../src/cli/commands/conform.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { runConform } from '../../src/conform/run.ts';

// `relspec conform --level exact --impl "relspec serve --engine fast"` with
// the default runs and seed: the fast engine, spoken to over the protocol
// like any foreign implementation, answers every phase as the pure reference
// does (properties/model/fast-engine.test.ts compares them op by op).

const failures = await mkdtemp(join(tmpdir(), 'relspec-engines-'));

test('conform --level exact passes on serve --engine fast', async () => {
  const lines: string[] = [];
  const result = await runConform(
    {
      command: `${REFERENCE_COMMAND} --engine fast`,
      level: 'exact',
      runs: DEFAULT_RUNS,
      seed: DEFAULT_SEED,
      // Generous: a loaded machine must not turn slowness into a verdict.
      timeoutMs: 30_000,
      fixturesDir: 'fixtures',
      failuresDir: failures,
      maxSteps: 25,
    },
    (l) => lines.push(l),
    silentProgress,
  );
  assert.is(result.exitCode, 0, lines.join('\n'));
  assert.ok(
    lines.some((l) => l.startsWith('conforms at level exact')),
    lines.join('\n'),
  );
});

test.after(() => rm(failures, { recursive: true, force: true }));

test.run();
