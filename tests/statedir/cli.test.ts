import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { check, show, table } from '../../src/cli/commands/statedir.ts';

// The commands run in-process (the wiring through bin/relspec.js is checked once, below).
const relspec = (command: string, ...args: string[]) => {
  let stdout = '';
  let stderr = '';
  const io = { out: (l: string) => (stdout += `${l}\n`), err: (l: string) => (stderr += `${l}\n`) };
  const code =
    command === 'show'
      ? show(args[0] ?? '', args[1], io)
      : command === 'check'
        ? check(args[0] ?? '', io)
        : table(args[0] === '--drop' ? args.slice(1) : [], io);
  return { code, stdout, stderr };
};

const spawned = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/relspec.js', 'statedir', ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const withBase = (files: Record<string, string | null>, run: (base: string) => void) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-cli-'));
  try {
    for (const [p, text] of Object.entries(files)) {
      const full = path.join(base, p);
      if (text === null) fs.mkdirSync(full, { recursive: true });
      else {
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, text);
      }
    }
    run(base);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
};

test('CLI statedir show: one relation and all relations as JSON, int64 exact', () => {
  withBase(
    {
      '7/foo-1': 'change-version: 9223372036854775807\nchanged-pending: true\n',
      '8': null,
      'x/foo-1': 'junk',
    },
    (base) => {
      const one = relspec('show', base, '7');
      assert.is(one.code, 0);
      assert.is(
        one.stdout,
        '{"relationId":7,"members":{"foo/1":9223372036854775807},"changedPending":"foo/1"}\n',
      );
      const all = relspec('show', base);
      assert.is(
        all.stdout,
        '{"7":{"relationId":7,"members":{"foo/1":9223372036854775807},"changedPending":"foo/1"},"8":{"relationId":8,"members":{},"changedPending":""}}\n',
      );
    },
  );
});

test('CLI statedir show: errors are one line on stderr, exit 1, no stack', () => {
  withBase({ '7/foo-1': 'x: 1\n' }, (base) => {
    const r = relspec('show', base, '7');
    assert.is(r.code, 1);
    assert.is(
      r.stderr,
      `relspec statedir: cannot load relation state from "${base}/7": invalid unit file "foo-1": "changed-version" not set\n`,
    );
    const bad = relspec('show', base, 'seven');
    assert.is(bad.code, 1);
    assert.is(
      bad.stderr,
      'relspec statedir: relationId: expected a decimal integer, got "seven"\n',
    );
  });
});

test('CLI statedir check: every problem with its path, exit 1; a clean base exits 0', () => {
  withBase(
    {
      '7/a-1': 'change-version: 1\nchanged-pending: true\n',
      '7/b-2': 'change-version: 2\nchanged-pending: true\n',
      '7/a-1.preparing': '',
      '7/c-3': 'x: 1\n',
      '7/Bad-1': 'change-version: 1\n',
      '9/foo-1': null,
      '+7': null,
    },
    (base) => {
      const r = relspec('check', base);
      assert.is(r.code, 1);
      assert.is(
        r.stdout,
        [
          `${base}/+7: not a canonical relation id: read as relation 7 (${base}/7)`,
          `${base}/7/Bad-1: invalid unit file "Bad-1": "Bad/1" is not a valid unit name`,
          `${base}/7/a-1.preparing: stray temporary file (an interrupted write; readers ignore it)`,
          `${base}/7/b-2: "a/1" and "b/2" both have pending changed hooks`,
          `${base}/7/c-3: invalid unit file "c-3": "changed-version" not set`,
          `${base}/9/foo-1: read ${base}/9/foo-1: is a directory`,
          '6 problem(s)',
          '',
        ].join('\n'),
      );
    },
  );
  withBase({ '7/a-1': 'change-version: 1\n' }, (base) => {
    const r = relspec('check', base);
    assert.is(r.code, 0);
    assert.is(r.stdout, `${base}: no problems\n`);
  });
});

test('CLI statedir crash-table: prints the Markdown table and the count', () => {
  const r = relspec('crash-table');
  assert.is(r.code, 0);
  assert.match(r.stdout, /^\| hook \| crash state/);
  assert.match(r.stdout, /\n17 crash states, 0 not survived\n$/);
  const dropped = relspec('crash-table', '--drop', 'fsync');
  assert.match(dropped.stdout, /crash states, [1-9]\d* not survived\n$/);
  assert.is(relspec('crash-table', '--drop', 'close').code, 1);
});

test('CLI bin/relspec.js statedir: exit status and a one-line error, no stack trace', () => {
  withBase({ '7/foo-1': 'x: [' }, (base) => {
    const r = spawned('show', base, '7');
    assert.is(r.code, 1);
    assert.is(r.stdout, '');
    assert.match(
      r.stderr,
      /^relspec statedir: cannot load relation state from "[^\n]*": invalid unit file "foo-1": [^\n]*\n$/,
    );
  });
});

test.run();
