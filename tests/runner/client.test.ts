import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startClient } from '../../src/runner/client.ts';
import { describeRunnerError } from '../../src/runner/errors.ts';

// Tiny stand-in implementations written inline, so these tests need nothing
// but node: an echo server, one that dies, one that hangs, one that garbles.
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const node = (script: string) => `${shellQuote(process.execPath)} -e ${shellQuote(script)}`;

const ECHO = node(`
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (l) => {
  const r = JSON.parse(l);
  if (r.op === 'bye') { process.stdout.write(JSON.stringify({ id: r.id, ok: true, result: {} }) + '\\n'); process.exit(0); }
  process.stdout.write(JSON.stringify({ id: r.id, ok: true, result: { op: r.op, n: r.n } }) + '\\n');
});`);

test('runner: pipelined requests are answered in order and matched by id', async () => {
  const client = startClient({ command: ECHO, timeoutMs: 5000 });
  const requests = Array.from({ length: 500 }, (_, n) => ({ op: 'echo', n }));
  const answers = await client.callAll(requests);
  assert.ok(E.isRight(answers));
  if (E.isRight(answers)) {
    assert.is(answers.right.length, 500);
    answers.right.forEach((r, n) => {
      assert.ok(r.ok);
      if (r.ok) assert.is(r.result.n, n);
    });
  }
  const exit = await client.close();
  assert.equal(exit, { code: 0, signal: null });
});

test('runner: an implementation that exits is a Died verdict with its stderr', async () => {
  const client = startClient({
    command: node(`process.stderr.write('boom: out of cheese\\n'); process.exit(3);`),
    timeoutMs: 5000,
  });
  const answer = await client.call({ op: 'hello' });
  assert.ok(E.isLeft(answer));
  if (E.isLeft(answer)) {
    assert.is(answer.left._tag, 'Died');
    const text = describeRunnerError(answer.left);
    assert.match(text, 'exited with code 3');
    assert.match(text, 'boom: out of cheese');
  }
  await client.close();
});

test('runner: a silent implementation is a Timeout verdict, and its process group is killed', async () => {
  const client = startClient({ command: node('setInterval(() => {}, 1000);'), timeoutMs: 150 });
  const answer = await client.call({ op: 'hello' });
  assert.ok(E.isLeft(answer));
  if (E.isLeft(answer)) {
    assert.is(answer.left._tag, 'Timeout');
    assert.match(
      describeRunnerError(answer.left),
      'did not answer request 1 (hello) within 150 ms',
    );
  }
  // Later calls get the same verdict at once.
  const later = await client.call({ op: 'hello' });
  assert.ok(E.isLeft(later) && later.left._tag === 'Timeout');
  const exit = await client.close();
  assert.is(exit?.signal, 'SIGKILL');
});

test('runner: a request may have its own, longer timeout (a slow start)', async () => {
  const client = startClient({
    command: node(
      `setTimeout(() => process.stdin.on('data', (d) => { for (const l of String(d).split('\\n').filter(Boolean)) { const r = JSON.parse(l); process.stdout.write(JSON.stringify({ id: r.id, ok: true, result: {} }) + '\\n'); } }), 300);`,
    ),
    timeoutMs: 100,
  });
  const first = await client.call({ op: 'hello' }, 5000);
  assert.ok(E.isRight(first));
  const second = await client.call({ op: 'hello' });
  assert.ok(E.isRight(second));
  client.kill();
});

test('runner: a line that is not a response is a BadResponse verdict', async () => {
  const client = startClient({
    command: node(
      `process.stdin.once('data', () => process.stdout.write('hello there\\n')); setInterval(() => {}, 1000);`,
    ),
    timeoutMs: 5000,
  });
  const answer = await client.call({ op: 'hello' });
  assert.ok(E.isLeft(answer) && answer.left._tag === 'BadResponse');
  await client.close();
});

test('runner: a response with the wrong id is a BadResponse verdict', async () => {
  const client = startClient({
    command: node(
      `process.stdin.once('data', () => process.stdout.write('{"id": 9, "ok": true, "result": {}}\\n')); setInterval(() => {}, 1000);`,
    ),
    timeoutMs: 5000,
  });
  const answer = await client.call({ op: 'hello' });
  assert.ok(E.isLeft(answer));
  if (E.isLeft(answer))
    assert.match(describeRunnerError(answer.left), 'answers id 9 but request 1');
  await client.close();
});

test('runner: a command that does not exist is a Died verdict (shell exit 127)', async () => {
  const client = startClient({ command: 'relspec-no-such-program-xyz', timeoutMs: 5000 });
  const answer = await client.call({ op: 'hello' });
  assert.ok(E.isLeft(answer) && answer.left._tag === 'Died');
  if (E.isLeft(answer) && answer.left._tag === 'Died') assert.is(answer.left.code, 127);
  await client.close();
});

test.run();
