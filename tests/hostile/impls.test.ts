import { readdir, rm } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type CliRun, hostile, leftovers, runCli, STACK, survivors } from './support.ts';

// Each hostile implementation of tests/impls/hostile against `relspec
// conform` as a user runs it: the documented exit code, a verdict that says
// what happened, no stack trace, and nothing left behind (no process of
// the implementation's, no temporary folder). Time is bounded by the hang
// guard of runCli; start-up gets a generous --start-timeout (CI is loaded).

const START = ['--start-timeout', '120000'];

const conform = (impl: string, ...args: string[]) =>
  runCli(['conform', '--impl', impl, ...START, ...args]);

const clean = async (run: CliRun, what: string) => {
  const context = `${what}\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-3000)}`;
  assert.not.match(run.stdout + run.stderr, STACK, `stack trace: ${context}`);
  assert.equal(await survivors(run), [], `processes left: ${context}`);
  assert.equal(await leftovers(run), [], `temporary folders left: ${context}`);
  for (const dir of [run.cwd, run.roots, run.pidsDir])
    await rm(dir, { recursive: true, force: true });
};

test('hostile: a 50 MB response line is a verdict, not an out-of-memory crash (item 2)', async () => {
  const run = await conform(
    hostile('huge-line'),
    '--no-fixtures',
    '--runs',
    '2',
    '--timeout',
    '60000',
  );
  assert.is(run.code, 1, run.stdout);
  assert.match(run.stdout, /implementation printed a line of more than 4194304 bytes at step 1/);
  await clean(run, 'huge line');
});

test('hostile: an endless line is a verdict at the --max-line limit (item 2)', async () => {
  const run = await conform(
    hostile('endless-line'),
    '--no-fixtures',
    '--runs',
    '2',
    '--max-line',
    '100000',
    '--timeout',
    '60000',
  );
  assert.is(run.code, 1, run.stdout);
  assert.match(run.stdout, /printed a line of more than 100000 bytes at step 1/);
  await clean(run, 'endless line');
});

test('hostile: a grandchild holding the pipes neither keeps conform up nor outlives it (item 3)', async () => {
  const run = await conform(hostile('grandchild-pipes'), '--no-fixtures', '--runs', '3');
  assert.is(run.code, 0, run.stdout);
  // The implementation and its helper (a `sleep 600`) were both noted, and both are gone.
  assert.ok((await readdir(run.pidsDir)).length >= 2);
  await clean(run, 'grandchild');
});

test('hostile: Ctrl-C kills the implementation group and removes the temporary folder (item 3)', async () => {
  let sent = false;
  const run = await runCli(
    [
      'conform',
      '--impl',
      hostile('grandchild-pipes'),
      ...START,
      '--no-fixtures',
      '--runs',
      '100000',
    ],
    {
      onStdout: (text, child) => {
        if (!sent && text.includes('hello:')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    },
  );
  assert.ok(sent, run.stdout);
  assert.is(run.code, 130, run.stdout + run.stderr);
  assert.match(run.stderr, 'interrupted by SIGINT');
  await clean(run, 'SIGINT');
});

test('hostile: writes outside the scenario directory are failures naming the paths (item 4)', async () => {
  const run = await conform(hostile('writes-outside'), '--no-fixtures', '--runs', '2');
  assert.is(run.code, 1, run.stdout);
  assert.match(run.stdout, 'the implementation wrote outside its scenario directory');
  // One next to the base (in the run root), one in the working directory.
  assert.match(run.stdout, `${run.roots}/`);
  assert.match(run.stdout, `${run.cwd}/escaped-cwd-`);
  await clean(run, 'writes outside');
});

test('hostile: a hung implementation costs --give-up-after timeouts, not one per fixture (item 5)', async () => {
  const run = await conform(hostile('hung'), '--timeout', '1000', '--runs', '5');
  assert.is(run.code, 1, run.stdout);
  assert.match(run.stdout, /golden fixtures: 3 checked, 3 FAILED/);
  assert.match(
    run.stdout,
    /well-behaved: not run: the implementation timed out or died too many times in a row/,
  );
  await clean(run, 'hung');
});

test('hostile: hello honours --timeout (item 5)', async () => {
  const run = await runCli(['conform', '--impl', hostile('hung'), '--timeout', '1500'], {
    env: { HOSTILE_HANG_HELLO: '1' },
  });
  assert.is(run.code, 2, run.stdout);
  assert.match(
    run.stdout,
    'hello failed: implementation did not answer request 1 (hello) within 1500 ms',
  );
  await clean(run, 'hung hello');
});

test('hostile: drifting with requests in flight ends exit 1 with a counterexample, every run (item 1)', async () => {
  for (const seed of ['1', '2', '3']) {
    const run = await conform(
      hostile('drift-in-flight'),
      '--no-fixtures',
      '--runs',
      '10',
      '--seed',
      seed,
    );
    assert.is(run.code, 1, `seed ${seed}: ${run.stdout}`);
    assert.match(run.stdout, 'minimal counterexample');
    assert.match(run.stdout, 'got      {"drift":true}');
    assert.not.match(run.stdout, 'could not be completed');
    assert.not.match(run.stdout, 'warning: clean-up');
    await clean(run, `drift seed ${seed}`);
  }
});

test.run();
