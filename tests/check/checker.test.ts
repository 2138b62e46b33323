import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTraceChunks, checkTraceText } from '../../src/check/checker.ts';
import { describeResult, exitCode, resultJson } from '../../src/check/report.ts';
import { syntheticTrace, traceLine } from '../../src/check/synthetic.ts';

const start = '{"type":"start","state":{"relationId":7,"members":{},"changedPending":""}}';
const snapshot = '{"type":"change","change":{"changed":{"a/0":{"version":1}},"departed":[]}}';
const hook = (kind: string, v = 1, unit = 'a/0') =>
  `{"type":"hook","hook":{"kind":"${kind}","relationId":7,"remoteUnit":"${unit}","changeVersion":${v}}}`;
const commit = (kind: string, v = 1, unit = 'a/0') =>
  hook(kind, v, unit).replace('"hook",', '"commit",');
const good = [
  start,
  snapshot,
  hook('relation-joined'),
  commit('relation-joined'),
  hook('relation-changed'),
  commit('relation-changed'),
  '{"type":"idle"}',
];

const run = (lines: readonly string[]) => checkTraceText(`${lines.join('\n')}\n`);

test('a conforming trace: exit 0, counts events', () => {
  const r = run(good);
  assert.equal(r, { _tag: 'Conforms', events: 7, lines: 7 });
  assert.is(exitCode(r), 0);
  assert.is(describeResult('t.jsonl', r), 't.jsonl: conforms (7 events)');
  assert.is(
    resultJson('t.jsonl', r),
    '{"file":"t.jsonl","verdict":"conforms","events":7,"lines":7}',
  );
});

test('blank lines and CRLF are accepted; line numbers count every line', () => {
  const r = checkTraceText(
    `${good.slice(0, 2).join('\r\n')}\r\n\r\n  \n${good.slice(2).join('\n')}`,
  );
  assert.equal(r, { _tag: 'Conforms', events: 7, lines: 9 });
});

test('G2 violation: the clause, the line number (blank lines counted) and the explanation', () => {
  const lines = [
    start,
    snapshot,
    '',
    hook('relation-joined'),
    commit('relation-joined'),
    '{"type":"idle"}',
  ];
  const r = run(lines);
  assert.equal(r, {
    _tag: 'Violation',
    clause: 'G2',
    line: 6,
    step: 4,
    explanation: 'idle, but relation-changed for a/0 is still owed',
  });
  assert.is(exitCode(r), 1);
  assert.is(
    describeResult('t.jsonl', r),
    't.jsonl:6: violates G2: idle, but relation-changed for a/0 is still owed',
  );
  assert.is(
    resultJson('t.jsonl', r),
    '{"file":"t.jsonl","verdict":"violation","clause":"G2","line":6,"event":4,"explanation":"idle, but relation-changed for a/0 is still owed"}',
  );
});

test('T1: a trace that does not begin with start', () => {
  const r = run([snapshot]);
  assert.is(r._tag, 'Violation');
  if (r._tag === 'Violation') assert.equal([r.clause, r.line], ['T1', 1]);
});

test('the first violation wins; later lines are not read (not even malformed ones)', () => {
  const r = run([start, hook('relation-joined'), 'not json']);
  assert.is(r._tag, 'Violation');
  if (r._tag === 'Violation') assert.equal([r.clause, r.line], ['G8a', 2]);
});

test('A1 is checked by default and can be turned off (--no-assumptions)', () => {
  const departing = '{"type":"change","change":{"changed":{},"departed":["a/0"]}}';
  const lines = [start, departing];
  const r = run(lines);
  assert.is(r._tag === 'Violation' ? r.clause : r._tag, 'A1');
  assert.is(checkTraceText(lines.join('\n'), { assumptions: false })._tag, 'Conforms');
});

const malformed = (line: string) => {
  const r = run([start, line]);
  assert.is(exitCode(r), 2);
  return r._tag === 'Malformed' ? r.message : `not malformed: ${r._tag}`;
};

test('malformed: a line that is not JSON names the line', () => {
  assert.is(
    malformed('{"type":"idle"'),
    "line 2: not JSON: Quoted object key or end of object '}' expected but reached end of input at position 14",
  );
});

test('malformed: an unknown event type', () => {
  assert.is(
    malformed('{"type":"restart"}'),
    'line 2: invalid trace event: type: expected "start" | "change" | "hook" | "commit" | "crash" | "dying" | "idle", got "restart"',
  );
});

test('malformed: a bad field names its path and value', () => {
  assert.is(
    malformed(hook('relation-joined', 1, 'A/0')),
    'line 2: invalid trace event: hook.remoteUnit: expected UnitName, got "A/0"',
  );
  assert.is(
    malformed('{"type":"change","change":{"changed":{"a/0":{"version":1.5}}}}'),
    'line 2: invalid trace event: change.changed["a/0"].version: expected an int64 integer, got 1.5',
  );
  assert.is(
    malformed('{"type":"commit"}'),
    'line 2: invalid trace event: hook: expected HookInfo, but it is missing',
  );
  assert.is(malformed('[1]'), 'line 2: invalid trace event: (root): expected TraceEvent, got [1]');
});

test('malformed: a version beyond int64', () => {
  assert.is(
    malformed(hook('relation-changed', 9223372036854775808n as unknown as number)),
    'line 2: invalid trace event: hook.changeVersion: expected an int64 integer, got 9223372036854775808',
  );
});

test('int64 versions survive: a trace with versions above 2^53 conforms', () => {
  const big = 9007199254740993n;
  const lines = [
    start,
    `{"type":"change","change":{"changed":{"a/0":{"version":${big}}}}}`,
    hook('relation-joined', big as unknown as number),
    commit('relation-joined', big as unknown as number),
    hook('relation-changed', big as unknown as number),
    commit('relation-changed', big as unknown as number),
    '{"type":"idle"}',
  ];
  assert.is(run(lines)._tag, 'Conforms');
  // One less in the hook: G5a (the known version is exact, not rounded).
  const off = [...lines];
  off[4] = hook('relation-changed', (big - 1n) as unknown as number);
  const r = run(off);
  assert.is(r._tag === 'Violation' ? r.clause : r._tag, 'G5a');
});

test('chunked input: lines split across chunks give the same verdict as whole text', async () => {
  const lines: string[] = [];
  for (const e of syntheticTrace(3000, 5)) lines.push(traceLine(e));
  const text = `${lines.join('\n')}\n`;
  async function* chunks(size: number) {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  const whole = checkTraceText(text);
  assert.is(whole._tag, 'Conforms');
  for (const size of [1, 7, 4096]) assert.equal(await checkTraceChunks(chunks(size)), whole);
});

test.run();
