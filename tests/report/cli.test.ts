import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { relspec } from '../support/relspec.ts';

// `conform --json` and `relspec report` as users run them: the document is
// written, and `report` prints what conform printed (its progress lines aside).

const tmp = mkdtempSync(join(tmpdir(), 'relspec-report-cli-'));

const PROGRESS = /^ {2}[^ ].*: \d+\/\d+$/;

test('conform --json then report: the same lines, for a run that conforms', async () => {
  const json = join(tmp, 'run.json');
  const failures = join(tmp, 'failures');
  const c = await relspec('conform', '--runs', '5', '--failures', failures, '--json', json);
  assert.is(c.status, 0, c.stdout + c.stderr);
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { format: string; exitCode: number };
  assert.is(doc.format, 'relspec-run');
  assert.is(doc.exitCode, 0);
  const r = await relspec('report', json);
  assert.is(r.status, 0, r.stderr);
  const printed = c.stdout.split('\n').filter((l) => !PROGRESS.test(l));
  assert.equal(r.stdout.split('\n'), printed);
});

test('conform --json into a directory that does not exist: exit 2 before the run', async () => {
  const c = await relspec('conform', '--json', join(tmp, 'no', 'such', 'run.json'));
  assert.is(c.status, 2);
  assert.is(c.stdout, '');
  assert.match(c.stderr, /--json .*run\.json: no directory/);
});

test.run();
