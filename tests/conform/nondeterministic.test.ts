import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { silentProgress } from '../../src/conform/progress.ts';
import { runConform } from '../../src/conform/run.ts';

// A failure that does not reproduce (tests/impls/fails-once.ts answers one
// validate wrongly, then never again) is a real counterexample: the failing
// run's own steps, expected vs got, the words "did NOT reproduce", and a
// fixture of it.

test('a failure that does not reproduce is printed from the failing run and written as a fixture', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'relspec-nondet-'));
  try {
    const lines: string[] = [];
    const result = await runConform(
      {
        command: `node --import tsx ${join('tests', 'impls', 'fails-once.ts')} 40`,
        level: 'exact',
        runs: 40,
        seed: 20150312,
        phase: 'well-behaved',
        timeoutMs: 20_000,
        fixturesDir: null,
        failuresDir: dir,
        maxSteps: 25,
      },
      (l) => lines.push(l),
      silentProgress,
    );
    const text = lines.join('\n');
    assert.is(result.exitCode, 1, text);
    assert.match(text, 'did NOT reproduce');
    assert.match(text, /✗ +\d+\. validate /);
    assert.match(text, /got +\{"error":"refused this once","valid":false\}/);
    const files = await readdir(dir);
    // The fixture, and beside it the failure document for `relspec report`.
    const written = files.filter((f) => f.endsWith('.json') && !f.endsWith('.failure.json'));
    assert.equal(written.length, 1, text);
    assert.ok(
      files.some((f) => f.endsWith('.failure.json')),
      text,
    );
    const fixture = JSON.parse(await readFile(join(dir, written[0] as string), 'utf8')) as {
      steps: { request: { op: string } }[];
    };
    assert.ok(fixture.steps.some((s) => s.request.op === 'validate'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
