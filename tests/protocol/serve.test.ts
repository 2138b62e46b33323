import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, serve } from './child.ts';

// `relspec serve` driven as a child process, the way another
// implementation's runner drives it (spec/PROTOCOL.md). Most tests share one
// session (with their own source names), as a runner's session would; the
// tests about ending get their own. All start now, so that their start-up
// times overlap.
const shared = serve();
const forPipelining = serve();
const forBye = serve();
const forEof = serve();
const forEmptyEof = serve();

type Json = Record<string, unknown>;
type Hook = {
  kind: string;
  relationId: number;
  remoteUnit: string;
  changeVersion: number | bigint;
};
type WireState = {
  relationId: number;
  members: Record<string, number | bigint> | null;
  changedPending: string;
};

const result = (response: Json, id: number): Json => {
  assert.equal(response.id, id, 'the response echoes the id');
  assert.is(response.ok, true, `expected ok, got ${JSON.stringify(response)}`);
  return response.result as Json;
};

const protocolError = (response: Json, id: number | null): string => {
  assert.equal(response.id, id, 'the id of a protocol error');
  assert.is(response.ok, false, `expected a protocol error, got ${JSON.stringify(response)}`);
  assert.type(response.error, 'string');
  return response.error as string;
};

// The effect a successful hook has on the local state (what statedir.write does).
const commit = (s: WireState, h: Hook): WireState => {
  if (h.kind === 'relation-broken') return { ...s, members: null };
  const members = { ...(s.members ?? {}) };
  if (h.kind === 'relation-departed') {
    delete members[h.remoteUnit];
    return { ...s, members };
  }
  members[h.remoteUnit] = h.changeVersion;
  return { ...s, members, changedPending: h.kind === 'relation-joined' ? h.remoteUnit : '' };
};

test('hello announces the reference, protocol 1 and every feature', async () => {
  const p = shared;
  const r = result(await p.call({ id: 1, op: 'hello' }), 1);
  assert.match(r.implementation as string, /^relspec \d+\.\d+\.\d+/);
  assert.is(r.protocol, 1);
  assert.equal(r.supports, ['live', 'dying', 'list', 'validate', 'statedir']);
});

test('live source scenario: snapshot, next/validate/pop until empty, then a delta', async () => {
  const p = shared;
  let id = 0;
  const call = async (request: Json) => {
    id += 1;
    return result(await p.call({ id, ...request }), id);
  };
  let state: WireState = {
    relationId: 7,
    members: { 'mysql/0': 3, 'mysql/1': 5 },
    changedPending: 'mysql/1',
  };
  assert.equal(await call({ op: 'source.live', source: 'r7', state }), {});
  assert.equal(await call({ op: 'source.empty', source: 'r7' }), { empty: true });
  const ran: string[] = [];
  const drain = async () => {
    for (;;) {
      const { empty } = await call({ op: 'source.empty', source: 'r7' });
      if (empty === true) return;
      const { hook } = (await call({ op: 'source.next', source: 'r7' })) as { hook: Hook };
      assert.equal(await call({ op: 'validate', state, hook }), { valid: true }, hook.kind);
      ran.push(`${hook.kind} ${hook.remoteUnit} ${hook.changeVersion}`);
      state = commit(state, hook);
      assert.equal(await call({ op: 'source.pop', source: 'r7' }), {});
    }
  };
  const snapshot = {
    'mysql/3': { version: 2 },
    'mysql/1': { version: 6 },
    'mysql/2': { version: 1 },
  };
  assert.equal(
    await call({ op: 'source.update', source: 'r7', change: { changed: snapshot, departed: [] } }),
    {},
  );
  await drain();
  assert.equal(ran, [
    'relation-changed mysql/1 6',
    'relation-departed mysql/0 3',
    'relation-joined mysql/2 1',
    'relation-changed mysql/2 1',
    'relation-joined mysql/3 2',
    'relation-changed mysql/3 2',
  ]);
  ran.length = 0;
  const delta = { changed: { 'mysql/2': { version: 7 } }, departed: ['mysql/3'] };
  assert.equal(await call({ op: 'source.update', source: 'r7', change: delta }), {});
  await drain();
  assert.equal(ran, ['relation-changed mysql/2 7', 'relation-departed mysql/3 2']);
  assert.equal(state, {
    relationId: 7,
    members: { 'mysql/1': 6, 'mysql/2': 7 },
    changedPending: '',
  });
  assert.equal(await call({ op: 'source.next', source: 'r7' }), { error: 'HookSource is empty' });
  assert.ok('error' in (await call({ op: 'source.pop', source: 'r7' })), 'pop on empty fails');
  assert.equal(await call({ op: 'source.stop', source: 'r7' }), {});
  protocolError(await p.call({ id: 99, op: 'source.empty', source: 'r7' }), 99);
});

test('live source domain errors: pending unit not a member, first change departs, unknown departure', async () => {
  const p = shared;
  const bad = { relationId: 1, members: { 'a/0': 1 }, changedPending: 'b/0' };
  assert.ok(
    'error' in result(await p.call({ id: 1, op: 'source.live', source: 's', state: bad }), 1),
  );
  protocolError(await p.call({ id: 2, op: 'source.empty', source: 's' }), 2);
  const good = { relationId: 1, members: { 'a/0': 1 }, changedPending: '' };
  assert.equal(result(await p.call({ id: 3, op: 'source.live', source: 's', state: good }), 3), {});
  const departs = { changed: {}, departed: ['a/0'] };
  const r4 = result(await p.call({ id: 4, op: 'source.update', source: 's', change: departs }), 4);
  assert.type(r4.error, 'string');
  assert.equal(
    result(await p.call({ id: 5, op: 'source.update', source: 's', change: {} }), 5),
    {},
  );
  const unknown = { departed: ['zz/9'] };
  const r6 = result(await p.call({ id: 6, op: 'source.update', source: 's', change: unknown }), 6);
  assert.type(r6.error, 'string');
  // The snapshot {} departed a/0, which the failed updates did not disturb.
  const r7 = result(await p.call({ id: 7, op: 'source.next', source: 's' }), 7);
  assert.equal(r7.hook, {
    kind: 'relation-departed',
    relationId: 1,
    remoteUnit: 'a/0',
    changeVersion: 1,
  });
});

test('dying source: owed changed, departures in sorted order, broken; refuses updates', async () => {
  const p = shared;
  const state = {
    relationId: 4,
    members: { 'b/1': 2, 'a/0': 5, 'a-b/10': 1 },
    changedPending: 'b/1',
  };
  assert.equal(result(await p.call({ id: 1, op: 'source.dying', source: 'd', state }), 1), {});
  const r2 = result(await p.call({ id: 2, op: 'source.update', source: 'd', change: {} }), 2);
  assert.type(r2.error, 'string');
  const hooks: string[] = [];
  for (let id = 10; ; id += 2) {
    const { empty } = result(await p.call({ id, op: 'source.empty', source: 'd' }), id);
    if (empty === true) break;
    const { hook } = result(await p.call({ id, op: 'source.next', source: 'd' }), id) as {
      hook: Hook;
    };
    hooks.push(`${hook.kind} ${hook.remoteUnit} ${hook.changeVersion}`);
    assert.equal(result(await p.call({ id: id + 1, op: 'source.pop', source: 'd' }), id + 1), {});
  }
  assert.equal(hooks, [
    'relation-changed b/1 2',
    'relation-departed a-b/10 1',
    'relation-departed a/0 5',
    'relation-departed b/1 2',
    'relation-broken  0',
  ]);
});

test('list source yields its hooks in order and refuses updates; int64 extremes round-trip exactly', async () => {
  const p = shared;
  const max = 9223372036854775807n;
  const min = -9223372036854775808n;
  const hooks = [
    { kind: 'relation-joined', relationId: 3, remoteUnit: 'u/0', changeVersion: max },
    { kind: 'relation-changed', relationId: 3, remoteUnit: 'u/0', changeVersion: min },
    { kind: 'relation-broken', relationId: 3, remoteUnit: '', changeVersion: 0 },
  ];
  assert.equal(result(await p.call({ id: 1, op: 'source.list', source: 'l', hooks }), 1), {});
  const r2 = result(await p.call({ id: 2, op: 'source.update', source: 'l', change: {} }), 2);
  assert.type(r2.error, 'string');
  p.write('{"id":3,"op":"source.next","source":"l"}\n');
  assert.is(
    await p.line(),
    '{"id":3,"ok":true,"result":{"hook":{"kind":"relation-joined","relationId":3,"remoteUnit":"u/0","changeVersion":9223372036854775807}}}',
  );
  assert.equal(result(await p.call({ id: 4, op: 'source.pop', source: 'l' }), 4), {});
  p.write('{"id":5,"op":"source.next","source":"l"}\n');
  assert.is(
    await p.line(),
    '{"id":5,"ok":true,"result":{"hook":{"kind":"relation-changed","relationId":3,"remoteUnit":"u/0","changeVersion":-9223372036854775808}}}',
  );
  assert.equal(result(await p.call({ id: 6, op: 'source.pop', source: 'l' }), 6), {});
  const r7 = result(await p.call({ id: 7, op: 'source.next', source: 'l' }), 7);
  assert.equal(r7.hook, hooks[2]);
  assert.equal(result(await p.call({ id: 8, op: 'source.pop', source: 'l' }), 8), {});
  assert.equal(result(await p.call({ id: 9, op: 'source.empty', source: 'l' }), 9), {
    empty: true,
  });
  assert.type(result(await p.call({ id: 10, op: 'source.pop', source: 'l' }), 10).error, 'string');
  // Member versions at the extremes survive a dying source too.
  p.write(
    '{"id":11,"op":"source.dying","source":"d","state":{"relationId":3,"members":{"a/0":-9223372036854775808,"b/0":9223372036854775807},"changedPending":""}}\n',
  );
  assert.is(await p.line(), '{"id":11,"ok":true,"result":{}}');
  p.write('{"id":12,"op":"source.next","source":"d"}\n');
  assert.match((await p.line()) ?? '', /"remoteUnit":"a\/0","changeVersion":-9223372036854775808}/);
});

test('validate answers valid, or invalid with the exact Go message', async () => {
  const p = shared;
  const state = { relationId: 7, members: { 'mysql/0': 3 }, changedPending: '' };
  const joined = {
    kind: 'relation-joined',
    relationId: 7,
    remoteUnit: 'mysql/0',
    changeVersion: 3,
  };
  assert.equal(result(await p.call({ id: 1, op: 'validate', state, hook: joined }), 1), {
    valid: false,
    error: 'inappropriate "relation-joined" for "mysql/0": unit already joined',
  });
  const departed = { ...joined, kind: 'relation-departed' };
  assert.equal(result(await p.call({ id: 2, op: 'validate', state, hook: departed }), 2), {
    valid: true,
  });
  const broken = { kind: 'relation-broken', relationId: 8, remoteUnit: '', changeVersion: 0 };
  assert.equal(result(await p.call({ id: 3, op: 'validate', state, hook: broken }), 3), {
    valid: false,
    error: 'inappropriate "relation-broken" for "": expected relation 7, got relation 8',
  });
});

test('protocol errors: not JSON, not an object, bad id, unknown op, missing and malformed fields', async () => {
  const p = shared;
  p.write('this is not JSON\n');
  assert.match(protocolError(parse((await p.line()) ?? ''), null), /JSON/);
  p.write('[1,2]\n');
  protocolError(parse((await p.line()) ?? ''), null);
  assert.match(protocolError(await p.call({ op: 'hello' }), null), /\bid\b/);
  assert.match(protocolError(await p.call({ id: 'x', op: 'hello' }), null), /\bid\b/);
  assert.match(protocolError(await p.call({ id: 1.5, op: 'hello' }), null), /\bid\b/);
  assert.match(protocolError(await p.call({ id: 2 }), 2), /\bop\b/);
  assert.match(protocolError(await p.call({ id: 3, op: 'source.explode' }), 3), /source\.explode/);
  assert.match(protocolError(await p.call({ id: 4, op: 'source.next' }), 4), /\bsource\b/);
  const state = { relationId: 7, members: {}, changedPending: '' };
  assert.match(protocolError(await p.call({ id: 5, op: 'validate', state }), 5), /hook: .*missing/);
  const badUnit = { kind: 'relation-joined', relationId: 7, remoteUnit: 'Foo/0', changeVersion: 1 };
  assert.match(
    protocolError(await p.call({ id: 6, op: 'validate', state, hook: badUnit }), 6),
    /hook\.remoteUnit: .*"Foo\/0"/,
  );
  const badMember = { relationId: 7, members: { 'foo-1/0': 1 }, changedPending: '' };
  assert.match(
    protocolError(await p.call({ id: 7, op: 'source.live', source: 's', state: badMember }), 7),
    /state\.members\["foo-1\/0"\]/,
  );
  p.write(
    '{"id":8,"op":"source.list","source":"l","hooks":[{"kind":"relation-joined","relationId":1,"remoteUnit":"a/0","changeVersion":9223372036854775808}]}\n',
  );
  assert.match(
    protocolError(parse((await p.line()) ?? ''), 8),
    /hooks\[0\]\.changeVersion: .*9223372036854775808/,
  );
  const stringVersion = { changed: { 'a/0': { version: '3' } } };
  assert.match(
    protocolError(
      await p.call({ id: 9, op: 'source.update', source: 'l', change: stringVersion }),
      9,
    ),
    /change\.changed\["a\/0"\]\.version/,
  );
  const badBroken = { kind: 'relation-broken', relationId: 1, remoteUnit: 'a/0', changeVersion: 0 };
  protocolError(await p.call({ id: 10, op: 'source.list', source: 'l', hooks: [badBroken] }), 10);
  assert.match(
    protocolError(await p.call({ id: 11, op: 'source.pop', source: 'nope' }), 11),
    /nope/,
  );
  protocolError(await p.call({ id: 12, op: 'source.stop', source: 'nope' }), 12);
});

test('a large request id is echoed exactly', async () => {
  const p = shared;
  p.write('{"id":9223372036854775807,"op":"source.empty","source":"none"}\n');
  assert.match((await p.line()) ?? '', /^\{"id":9223372036854775807,"ok":false,/);
});

test('the shared session survived every error above; bye ends it with exit 0, stderr empty', async () => {
  const p = shared;
  assert.equal(result(await p.call({ id: 1000, op: 'bye' }), 1000), {});
  assert.equal(await p.exit, { code: 0, signal: null });
  assert.is(await p.line(), undefined, 'nothing after the answer to bye');
  assert.is(p.stderr(), '');
});

test('pipelined requests are answered one line each, in order; blank lines get no answer', async () => {
  const p = forPipelining;
  const n = 2000;
  const lines: string[] = [];
  for (let id = 1; id <= n; id += 1) {
    lines.push(id % 3 === 0 ? 'garbage' : `{"id":${id},"op":"hello"}`);
    if (id % 100 === 0) lines.push('', '   ');
  }
  p.write(`${lines.join('\r\n')}\n`);
  for (let id = 1; id <= n; id += 1) {
    const response = parse((await p.line()) ?? 'null');
    assert.equal(response.id, id % 3 === 0 ? null : id, `response ${id}`);
  }
  p.endInput();
  assert.is(await p.line(), undefined);
  assert.equal(await p.exit, { code: 0, signal: null });
});

test('bye: answered, then exit 0 without reading the requests after it', async () => {
  const p = forBye;
  p.write('{"id":1,"op":"hello"}\n{"id":2,"op":"bye"}\n{"id":3,"op":"hello"}\n');
  assert.match((await p.line()) ?? '', /^\{"id":1,"ok":true/);
  assert.is(await p.line(), '{"id":2,"ok":true,"result":{}}');
  assert.is(await p.line(), undefined);
  assert.equal(await p.exit, { code: 0, signal: null });
});

test('EOF on stdin: every request read is answered, then exit 0', async () => {
  const p = forEof;
  p.write('{"id":1,"op":"hello"}\n{"id":2,"op":"source.empty","source":"x"}');
  p.endInput();
  assert.match((await p.line()) ?? '', /^\{"id":1,"ok":true/);
  assert.match((await p.line()) ?? '', /^\{"id":2,"ok":false/);
  assert.is(await p.line(), undefined);
  assert.equal(await p.exit, { code: 0, signal: null });
});

test('EOF on an empty stdin: exit 0 with no output', async () => {
  const p = forEmptyEof;
  p.endInput();
  assert.is(await p.line(), undefined);
  assert.equal(await p.exit, { code: 0, signal: null });
});

test.run();
