import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTraceText } from '../../src/check/checker.ts';

// `check` on input nobody should give it (item 10).

const start = '{"type":"start","state":{"relationId":7,"members":{},"changedPending":""}}';

test('check: whitespace-only lines are blank at any length (item 10)', () => {
  for (const n of [1, 63, 64, 65, 1000, 100_000]) {
    for (const space of [' ', '\t', ' \t\r']) {
      const blank = space.repeat(n);
      const result = checkTraceText(`${start}\n${blank}\n{"type":"idle"}\n`);
      assert.equal(
        result,
        { _tag: 'Conforms', events: 2, lines: 3 },
        `${n} x ${JSON.stringify(space)}`,
      );
    }
  }
});

test('check: a directory on standard input is an error, exit 2 (item 10)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relspec-check-dir-'));
  const fd = openSync(dir, 'r');
  const run = spawnSync(process.execPath, ['bin/relspec.js', 'check', '-'], {
    encoding: 'utf8',
    stdio: [fd, 'pipe', 'pipe'],
  });
  assert.is(run.status, 2, run.stdout + run.stderr);
  assert.match(run.stderr, 'cannot read -: standard input is a directory');
  assert.not.match(run.stdout, 'conforms');
});

test.run();
