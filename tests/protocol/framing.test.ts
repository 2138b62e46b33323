import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createReferenceSession } from '../../src/protocol/index.ts';
import { statedirOps } from '../../src/protocol/ops/statedir.ts';
import { serveStreams } from '../../src/protocol/server.ts';
import { nodeFs } from '../../src/statedir/nodeFs.ts';

// What `serve` does with lines a runner should never send (item 9).

const serve = async (input: string | Buffer): Promise<string[]> => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  const done = serveStreams(stdin, stdout, createReferenceSession(statedirOps(nodeFs())));
  stdin.end(input);
  await done;
  return text.split('\n').filter((l) => l !== '');
};

test('serve: a bare CR is JSON whitespace, not a line end (item 9)', async () => {
  const lines = await serve('{"id":1,\r"op":"hello"}\n{"id":2,"op":"hello"}\r\n');
  assert.is(lines.length, 2);
  assert.match(lines[0] as string, /^\{"id":1,"ok":true/);
  assert.match(lines[1] as string, /^\{"id":2,"ok":true/);
});

test('serve: a relative or empty base is refused, as PROTOCOL.md says it is absolute (item 9)', async () => {
  const lines = await serve(
    [
      '{"id":1,"op":"statedir.readAll","base":"relative/dir"}',
      '{"id":2,"op":"statedir.readAll","base":""}',
      '{"id":3,"op":"statedir.open","dir":"d","base":".","relationId":1}',
    ].join('\n'),
  );
  assert.equal(lines, [
    '{"id":1,"ok":false,"error":"invalid request: base: expected an absolute path, got \\"relative/dir\\""}',
    '{"id":2,"ok":false,"error":"invalid request: base: expected an absolute path, got \\"\\""}',
    '{"id":3,"ok":false,"error":"invalid request: base: expected an absolute path, got \\".\\""}',
  ]);
});

test('serve: an id of 1e400 is reported as out of range, not as null (item 9)', async () => {
  const [line] = await serve('{"id":1e400,"op":"hello"}\n');
  assert.match(line as string, 'got a number beyond the range of a double (Infinity)');
  assert.not.match(line as string, 'got null');
});

test('serve: an id of -0 is echoed as -0 (item 9)', async () => {
  const [line] = await serve('{"id":-0,"op":"hello"}\n');
  assert.match(line as string, /^\{"id":-0,"ok":true/);
});

test('serve: raw U+2028 and NUL never reach a message unescaped (item 9)', async () => {
  const lines = await serve('{"id":3,"op":"\u2028"}\n\u0000\n');
  assert.is(lines.length, 2);
  for (const line of lines) {
    const message = (JSON.parse(line) as { error: string }).error;
    assert.ok(!message.includes('\u0000') && !message.includes('\u2028'), line);
  }
  assert.match(JSON.parse(lines[0] as string).error, 'unknown op "\\u2028"');
});

test('serve: a request line over the limit gets one protocol error and the session goes on', async () => {
  const { SERVE_MAX_LINE_BYTES } = await import('../../src/protocol/server.ts');
  const huge = Buffer.alloc(SERVE_MAX_LINE_BYTES + 10, 0x20);
  const lines = await serve(Buffer.concat([huge, Buffer.from('\n{"id":2,"op":"hello"}\n')]));
  assert.is(lines.length, 2);
  assert.match(lines[0] as string, /^\{"id":null,"ok":false,"error":"request line of more than/);
  assert.match(lines[1] as string, /^\{"id":2,"ok":true/);
});

test('serve: a last line without LF is answered', async () => {
  const lines = await serve('{"id":9,"op":"hello"}');
  assert.is(lines.length, 1);
});

test.run();
