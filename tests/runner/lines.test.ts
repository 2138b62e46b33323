import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { internalErrorLine } from '../../src/cli/internalError.ts';
import { byteLineSplitter, lastLines } from '../../src/runner/lines.ts';

const split = (maxLine: number, chunks: readonly string[]) => {
  const events: string[] = [];
  const s = byteLineSplitter(
    maxLine,
    (l) => events.push(`line ${l}`),
    (n) => events.push(`overflow ${n}`),
  );
  for (const c of chunks) s.push(Buffer.from(c));
  s.end();
  return events;
};

test('lines: LF ends a line, a CR does not, chunks join, multi-byte characters survive a cut', () => {
  const euro = Buffer.from('€');
  const events: string[] = [];
  const s = byteLineSplitter(
    100,
    (l) => events.push(l),
    () => events.push('overflow'),
  );
  s.push(Buffer.from('a\rb\nc'));
  s.push(euro.subarray(0, 1));
  s.push(Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')]));
  s.end();
  assert.equal(events, ['a\rb', 'c€', '', 'last']);
});

test('lines: a line over the limit is reported once, skipped to its LF, and the next line is read (item 2)', () => {
  assert.equal(split(5, ['abc', 'defgh', 'ij\nok\n']), ['overflow 8', 'line ok']);
  assert.equal(split(5, ['abcdefgh\nok\n']), ['overflow 8', 'line ok']);
  // An endless line holds at most the limit.
  assert.equal(split(5, ['abc', 'def', 'ghi']), ['overflow 6']);
});

test('lines: the stderr tail keeps bounded memory on an endless line', () => {
  const tail = lastLines(3);
  for (let i = 0; i < 1000; i++) tail.push('x'.repeat(10_000));
  tail.push('\nend\n');
  const lines = tail.lines();
  assert.is(lines.length, 2);
  assert.ok((lines[0] as string).length <= 303);
  assert.is(lines[1], 'end');
});

test('internal error: one line naming what failed, the details in a log', async () => {
  const { readFileSync } = await import('node:fs');
  const line = internalErrorLine('testing', new Error('boom\nsecond line'));
  assert.match(line, /^internal error while testing: boom \(details in (.+)\)$/);
  const log = /\(details in (.+)\)$/.exec(line)?.[1] as string;
  assert.match(readFileSync(log, 'utf8'), 'at ');
});

test.run();
