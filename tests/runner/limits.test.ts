import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startClient } from '../../src/runner/client.ts';
import { describeRunnerError } from '../../src/runner/errors.ts';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const node = (script: string) => `${shellQuote(process.execPath)} -e ${shellQuote(script)}`;

// Answers each request with its id, after a flood of 1000 stray blank lines.
const CHATTY = node(`
require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
  const r = JSON.parse(l);
  process.stdout.write(' \\n'.repeat(1000) + JSON.stringify({ id: r.id, ok: true, result: {} }) + '\\n');
});`);

test('runner: more output than a scenario may print is a verdict, counted afresh per scenario (item 2)', async () => {
  const client = startClient({ command: CHATTY, timeoutMs: 30_000, maxOutputBytes: 5000 });
  // About 2 kB per answer: after the reset two more fit, the third crosses the limit.
  assert.ok(E.isRight(await client.call({ op: 'a' })));
  client.resetOutputBudget();
  assert.ok(E.isRight(await client.call({ op: 'b' })));
  assert.ok(E.isRight(await client.call({ op: 'c' })));
  const third = await client.call({ op: 'd' });
  assert.ok(E.isLeft(third));
  if (E.isLeft(third)) {
    assert.match(
      describeRunnerError(third.left),
      'printed more than 5000 bytes in one scenario at step 4 (d)',
    );
  }
  await client.idle();
  await client.close();
});

test.run();
