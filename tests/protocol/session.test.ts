import * as t from 'io-ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createReferenceSession,
  defineOp,
  failed,
  handleLine,
  handleRequest,
  isPromise,
  ok,
  refused,
  type Session,
  STATEDIR_OPS,
  type Step,
} from '../../src/protocol/index.ts';

// The protocol core in-process: what the fixture replayer and the
// conformance runner call to get the reference's answers.

const now = (step: Step | Promise<Step>): Step => {
  if (isPromise(step)) throw new Error('expected a synchronous answer');
  return step;
};

/** Run lines through a session; returns the response lines and the final session. */
const run = (session: Session, lines: readonly string[]) => {
  let s = session;
  const out: string[] = [];
  for (const line of lines) {
    const step = now(handleLine(s, line));
    s = step.session;
    out.push(step.line);
  }
  return { session: s, out };
};

const LIVE =
  '{"id":1,"op":"source.live","source":"s","state":{"relationId":1,"members":{"a/0":1},"changedPending":""}}';
const SNAPSHOT =
  '{"id":2,"op":"source.update","source":"s","change":{"changed":{"a/0":{"version":1},"b/0":{"version":4}}}}';
const NEXT = '{"id":3,"op":"source.next","source":"s"}';
const POP = '{"id":4,"op":"source.pop","source":"s"}';
const joinedB =
  '{"id":3,"ok":true,"result":{"hook":{"kind":"relation-joined","relationId":1,"remoteUnit":"b/0","changeVersion":4}}}';
const changedB =
  '{"id":3,"ok":true,"result":{"hook":{"kind":"relation-changed","relationId":1,"remoteUnit":"b/0","changeVersion":4}}}';

test('pure ops answer synchronously and a step carries the response and the next session', () => {
  const { out } = run(createReferenceSession(), [LIVE, SNAPSHOT, NEXT, POP, NEXT]);
  assert.equal(out, [
    '{"id":1,"ok":true,"result":{}}',
    '{"id":2,"ok":true,"result":{}}',
    joinedB,
    '{"id":4,"ok":true,"result":{}}',
    changedB,
  ]);
});

test('a session is a value: an earlier session is unchanged by later ops', () => {
  const { session: before } = run(createReferenceSession(), [LIVE, SNAPSHOT]);
  const { session: after } = run(before, [POP]);
  assert.equal(run(before, [NEXT]).out, [joinedB]);
  assert.equal(run(after, [NEXT]).out, [changedB]);
  assert.equal(run(before, [NEXT]).out, [joinedB]);
});

test('handleRequest takes parsed values; bigint versions stay exact', () => {
  const step = now(
    handleRequest(createReferenceSession(), {
      id: 5n,
      op: 'source.list',
      source: 'l',
      hooks: [
        {
          kind: 'relation-joined',
          relationId: 2,
          remoteUnit: 'x/1',
          changeVersion: 2n ** 63n - 1n,
        },
      ],
    }),
  );
  assert.equal(step.response, { id: 5n, ok: true, result: {} });
  const next = now(handleRequest(step.session, { id: 6, op: 'source.next', source: 'l' }));
  assert.match(next.line, /"changeVersion":9223372036854775807\}/);
});

test('reusing a source name replaces the source', () => {
  const list =
    '{"id":5,"op":"source.list","source":"s","hooks":[{"kind":"relation-broken","relationId":1,"remoteUnit":"","changeVersion":0}]}';
  const { out } = run(createReferenceSession(), [LIVE, SNAPSHOT, list, NEXT]);
  assert.match(out[3] ?? '', /"kind":"relation-broken"/);
});

test('a failed source.live leaves the name as it was', () => {
  const bad =
    '{"id":5,"op":"source.live","source":"s","state":{"relationId":1,"members":{},"changedPending":"q/0"}}';
  const { out } = run(createReferenceSession(), [LIVE, SNAPSHOT, bad, NEXT]);
  assert.match(out[2] ?? '', /^\{"id":5,"ok":true,"result":\{"error":"[^"]/);
  assert.is(out[3], joinedB);
});

test('a failed source.update leaves the source as it was', () => {
  const departsUnknown = '{"id":5,"op":"source.update","source":"s","change":{"departed":["z/0"]}}';
  const { out } = run(createReferenceSession(), [LIVE, SNAPSHOT, departsUnknown, NEXT]);
  assert.match(out[2] ?? '', /"result":\{"error":/);
  assert.is(out[3], joinedB);
});

test('source.stop releases the name; an unknown name is a protocol error with the id', () => {
  const stop = '{"id":6,"op":"source.stop","source":"s"}';
  const { out } = run(createReferenceSession(), [LIVE, stop, NEXT, stop]);
  assert.is(out[1], '{"id":6,"ok":true,"result":{}}');
  assert.is(out[2], '{"id":3,"ok":false,"error":"unknown source \\"s\\""}');
  assert.match(out[3] ?? '', /^\{"id":6,"ok":false,/);
});

test('every statedir op is known but answered with a protocol error until its ops are added', () => {
  for (const op of STATEDIR_OPS) {
    const { out } = run(createReferenceSession(), [`{"id":7,"op":"${op}","dir":"d"}`]);
    assert.match(out[0] ?? '', /^\{"id":7,"ok":false,"error":".*not available"\}$/, op);
  }
});

test('bye answers {} and marks the step done', () => {
  const step = now(handleLine(createReferenceSession(), '{"id":9,"op":"bye"}'));
  assert.is(step.line, '{"id":9,"ok":true,"result":{}}');
  assert.ok(step.done);
  assert.not.ok(now(handleLine(createReferenceSession(), '{"id":9,"op":"hello"}')).done);
});

test('registry: an added op gets its decoded fields; a bad field names its path', () => {
  const echo = defineOp('test.echo', { n: t.number, words: t.array(t.string) }, (_, request) =>
    request.n < 0 ? failed('negative') : ok({ op: request.op, n: request.n, words: request.words }),
  );
  const session = createReferenceSession([echo]);
  assert.equal(run(session, ['{"id":1,"op":"test.echo","n":2,"words":["a"],"extra":0}']).out, [
    '{"id":1,"ok":true,"result":{"op":"test.echo","n":2,"words":["a"]}}',
  ]);
  assert.equal(run(session, ['{"id":2,"op":"test.echo","n":-1,"words":[]}']).out, [
    '{"id":2,"ok":true,"result":{"error":"negative"}}',
  ]);
  assert.match(
    run(session, ['{"id":3,"op":"test.echo","n":1,"words":["a",5]}']).out[0] ?? '',
    /^\{"id":3,"ok":false,"error":"invalid request: words\[1\]: .*5"\}$/,
  );
  // The reference table without the op does not know it.
  assert.match(
    run(createReferenceSession(), ['{"id":4,"op":"test.echo","n":1,"words":[]}']).out[0] ?? '',
    /unknown op/,
  );
});

test('registry: an added op replaces one of the same name (how statedir ops plug in)', () => {
  const open = defineOp('statedir.open', { dir: t.string }, (_, request) =>
    ok({ opened: request.dir }),
  );
  const session = createReferenceSession([open]);
  assert.equal(run(session, ['{"id":1,"op":"statedir.open","dir":"d"}']).out, [
    '{"id":1,"ok":true,"result":{"opened":"d"}}',
  ]);
  assert.match(
    run(session, ['{"id":2,"op":"statedir.state","dir":"d"}']).out[0] ?? '',
    /not available/,
  );
});

test('registry: an asynchronous handler gives a promise of the step', async () => {
  const slow = defineOp('test.slow', {}, () => Promise.resolve(ok({ done: true })));
  const pending = handleLine(createReferenceSession([slow]), '{"id":1,"op":"test.slow"}');
  assert.ok(isPromise(pending));
  assert.is((await pending).line, '{"id":1,"ok":true,"result":{"done":true}}');
});

test('registry: a handler that throws or rejects gives a protocol error, not an exception', async () => {
  const boom = defineOp('test.boom', {}, () => {
    throw new Error('bug');
  });
  const reject = defineOp('test.reject', {}, () => Promise.reject(new Error('async bug')));
  const refuse = defineOp('test.refuse', {}, () => refused('no'));
  const session = createReferenceSession([boom, reject, refuse]);
  assert.is(
    now(handleLine(session, '{"id":1,"op":"test.boom"}')).line,
    '{"id":1,"ok":false,"error":"internal error: bug"}',
  );
  assert.is(
    (await handleLine(session, '{"id":2,"op":"test.reject"}')).line,
    '{"id":2,"ok":false,"error":"internal error: async bug"}',
  );
  assert.is(
    now(handleLine(session, '{"id":3,"op":"test.refuse"}')).line,
    '{"id":3,"ok":false,"error":"no"}',
  );
});

test('malformed lines: id null when the id cannot be read, echoed otherwise', () => {
  const { out } = run(createReferenceSession(), [
    '{',
    '"just a string"',
    '{"op":"hello"}',
    '{"id":null,"op":"hello"}',
    '{"id":4,"op":5}',
    '{"id":5,"op":"nope"}',
  ]);
  const ids = out.map((line) => /^\{"id":(null|\d+),"ok":false,/.exec(line)?.[1]);
  assert.equal(ids, ['null', 'null', 'null', 'null', '4', '5']);
});

test.run();
