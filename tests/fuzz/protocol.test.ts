import { PassThrough } from 'node:stream';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { Volume } from 'memfs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkAsync } from '../../properties/config.ts';
import { createReferenceSession } from '../../src/protocol/index.ts';
import { statedirOps } from '../../src/protocol/ops/statedir.ts';
import { serveStreams } from '../../src/protocol/server.ts';
import { startClient } from '../../src/runner/client.ts';
import { memFs } from '../../src/statedir/memFs.ts';
import { requestLine } from './arbitraries.ts';

// Malformed protocol lines both ways. `serve` (its state directories on a
// memfs volume, so no fuzzed base can reach the real disk) answers each
// non-blank line with one well-formed response line; the runner turns any
// response line into an answer or a verdict and leaves no process behind.

const serve = async (input: string): Promise<string[]> => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  const vol = Volume.fromJSON({ '/fuzz/.keep': '' });
  const done = serveStreams(stdin, stdout, createReferenceSession(statedirOps(memFs(vol))));
  stdin.end(input);
  await done;
  return text.split('\n').filter((l) => l !== '');
};

test('fuzz: serve answers every malformed request line with one response line', async () => {
  await checkAsync(
    fc.asyncProperty(fc.array(requestLine, { minLength: 1, maxLength: 8 }), async (lines) => {
      const input = `${lines.join('\n')}\n`;
      const requests = input
        .split('\n')
        .slice(0, -1)
        .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      const expected = requests.filter((l) => l.trim() !== '').length;
      const responses = await serve(input);
      assert.ok(
        responses.length <= expected,
        `${responses.length} responses to ${expected} requests`,
      );
      if (!input.includes('bye')) assert.is(responses.length, expected, JSON.stringify(input));
      for (const r of responses) {
        const parsed = JSON.parse(r) as { ok?: unknown; id?: unknown };
        assert.type(parsed.ok, 'boolean', r);
        assert.ok(parsed.id === null || typeof parsed.id === 'number', r);
      }
    }),
    200,
  );
});

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// An implementation that answers hello, then answers request n with line n of
// its script (the script travels base64-encoded in the environment).
const SCRIPTED = `
const lines = JSON.parse(Buffer.from(process.env.FUZZ_LINES, 'base64').toString('utf8'));
let n = 0;
require('readline').createInterface({ input: process.stdin }).on('line', () => {
  process.stdout.write(lines[n++ % lines.length] + '\\n');
});`;

test('fuzz: the runner turns malformed response lines into verdicts and kills the process', async () => {
  await checkAsync(
    fc.asyncProperty(fc.array(requestLine, { minLength: 1, maxLength: 4 }), async (raw) => {
      // A blank answer is no answer (the runner would wait for its timeout).
      const lines = raw.map((l) => (l.split('\n').every((s) => s.trim() === '') ? 'x' : l));
      const client = startClient({
        command: `FUZZ_LINES=${Buffer.from(JSON.stringify(lines)).toString('base64')} ${shellQuote(process.execPath)} -e ${shellQuote(SCRIPTED)}`,
        timeoutMs: 30_000,
      });
      const answers = await Promise.all(lines.map(() => client.call({ op: 'hello' })));
      for (const a of answers) assert.ok(E.isLeft(a) || typeof a.right.ok === 'boolean');
      client.kill();
      await client.idle();
      await client.close();
    }),
    15,
  );
});

test.run();
