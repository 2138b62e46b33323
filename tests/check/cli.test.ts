import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// `relspec check` as users run it: output, --json and exit codes 0/1/2.

const relspec = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/relspec.js', ...args], { encoding: 'utf8', input });

const tmp = mkdtempSync(join(tmpdir(), 'relspec-check-cli-'));
const trace = (name: string, lines: string[]) => {
  const file = join(tmp, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

const start = '{"type":"start","state":{"relationId":7,"members":{},"changedPending":""}}';
const hook = (type: string, kind: string) =>
  `{"type":"${type}","hook":{"kind":"${kind}","relationId":7,"remoteUnit":"a/0","changeVersion":1}}`;
const good = [
  start,
  '{"type":"change","change":{"changed":{"a/0":{"version":1}}}}',
  hook('hook', 'relation-joined'),
  hook('commit', 'relation-joined'),
  hook('hook', 'relation-changed'),
  hook('commit', 'relation-changed'),
  '{"type":"idle"}',
];

test('conforming: exit 0', () => {
  const file = trace('good.jsonl', good);
  const r = relspec(['check', file]);
  assert.is(r.status, 0);
  assert.is(r.stdout, `${file}: conforms (7 events)\n`);
  const j = relspec(['check', '--json', file]);
  assert.is(j.stdout, `{"file":"${file}","verdict":"conforms","events":7,"lines":7}\n`);
});

test('violation: exit 1 with clause, line and explanation', () => {
  const file = trace('g9a.jsonl', [...good.slice(0, 3), ...good.slice(4)]);
  const r = relspec(['check', file]);
  assert.is(r.status, 1);
  assert.is(
    r.stdout,
    `${file}:4: violates G9a: relation-changed a/0 v1 runs before relation-joined a/0 v1 was committed\n`,
  );
  const j = relspec(['check', '--json', file]);
  assert.is(j.status, 1);
  assert.is(
    j.stdout,
    `{"file":"${file}","verdict":"violation","clause":"G9a","line":4,"event":3,"explanation":"relation-changed a/0 v1 runs before relation-joined a/0 v1 was committed"}\n`,
  );
});

test('malformed: exit 2 naming the line and the field', () => {
  const file = trace('bad.jsonl', [start, '{"type":"change","change":{"departed":"a/0"}}']);
  const r = relspec(['check', file]);
  assert.is(r.status, 2);
  assert.is(
    r.stdout,
    `${file}: malformed trace: line 2: invalid trace event: change.departed: expected ReadonlyArray<UnitName>, got "a/0"\n`,
  );
  const j = relspec(['check', '--json', file]);
  assert.is(
    j.stdout,
    `{"file":"${file}","verdict":"malformed","line":2,"error":"line 2: invalid trace event: change.departed: expected ReadonlyArray<UnitName>, got \\"a/0\\""}\n`,
  );
});

test('unreadable file: exit 2, one line, no stack trace', () => {
  const r = relspec(['check', join(tmp, 'missing.jsonl')]);
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^cannot read .*missing\.jsonl: ENOENT: no such file or directory/);
  assert.is(r.stderr.trim().split('\n').length, 1);
});

test('"-" reads standard input', () => {
  const r = relspec(['check', '-'], `${good.join('\n')}\n`);
  assert.is(r.status, 0);
  assert.is(r.stdout, '-: conforms (7 events)\n');
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
