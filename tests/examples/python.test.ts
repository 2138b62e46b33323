import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SCENARIO_PHASE_NAMES } from '../../src/conform/phaseNames.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { runConform } from '../../src/conform/run.ts';

// The worked example of examples/python must conform at level exact: every
// golden fixture and every generated phase (A1-A4 broken, API misuse), with
// fewer runs than the CLI's default to keep the suite's time down.
const RUNS = 60 * Number(process.env.RELSPEC_RUNS ?? 1);
const COMMAND = `python3 ${join('examples', 'python', 'agent.py')}`;

test(`examples/python conforms at level exact (${RUNS} runs per phase, seed 20150312)`, async () => {
  const failuresDir = await mkdtemp(join(tmpdir(), 'relspec-python-'));
  try {
    const lines: string[] = [];
    const result = await runConform(
      {
        command: COMMAND,
        level: 'exact',
        runs: RUNS,
        seed: 20150312,
        timeoutMs: 20_000,
        fixturesDir: 'fixtures',
        failuresDir,
        maxSteps: 25,
      },
      (line) => lines.push(line),
      silentProgress,
    );
    const text = lines.join('\n');
    assert.is(result.exitCode, 0, `${COMMAND} does not conform:\n${text}`);
    assert.match(text, /golden fixtures: \d+ checked, pass/);
    for (const phase of SCENARIO_PHASE_NAMES) {
      assert.match(
        text,
        new RegExp(`${phase}: ${RUNS} checked, pass`),
        `phase ${phase} did not run`,
      );
    }
  } finally {
    await rm(failuresDir, { recursive: true, force: true });
  }
});

test.run();
