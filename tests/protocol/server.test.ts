import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createReferenceSession, defineOp, ok } from '../../src/protocol/index.ts';
import { serveStreams } from '../../src/protocol/server.ts';

// The server loop on in-memory streams: ordering, bye and end of input.

const collect = (stream: PassThrough): (() => string) => {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
};

// Answers after a few turns of the microtask queue: later sync ops must wait for it.
const later = defineOp('test.later', {}, async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  return ok({ later: true });
});

test('an asynchronous op keeps its place in the response order', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const text = collect(output);
  const done = serveStreams(input, output, createReferenceSession([later]));
  input.end(
    '{"id":1,"op":"test.later"}\n{"id":2,"op":"hello"}\n{"id":3,"op":"test.later"}\n{"id":4,"op":"source.empty","source":"x"}\n',
  );
  assert.is(await done, 0);
  const ids = text()
    .trim()
    .split('\n')
    .map((l) => /"id":(\d+)/.exec(l)?.[1]);
  assert.equal(ids, ['1', '2', '3', '4']);
});

test('bye after an asynchronous op: both answered, nothing after', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const text = collect(output);
  const done = serveStreams(input, output, createReferenceSession([later]));
  input.write('{"id":1,"op":"test.later"}\n{"id":2,"op":"bye"}\n{"id":3,"op":"hello"}\n');
  assert.is(await done, 0);
  assert.is(text(), '{"id":1,"ok":true,"result":{"later":true}}\n{"id":2,"ok":true,"result":{}}\n');
});

test('a last line without a newline is answered at end of input', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const text = collect(output);
  const done = serveStreams(input, output, createReferenceSession());
  input.end('{"id":1,"op":"bye"}');
  assert.is(await done, 0);
  assert.is(text(), '{"id":1,"ok":true,"result":{}}\n');
});

test.run();
