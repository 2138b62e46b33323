import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createReferenceSession, handleLine, isPromise } from '../../src/protocol/index.ts';

// Every example session in spec/PROTOCOL.md (the ```text blocks, `>` for a
// request and `<` for its response) is what the reference answers, byte for
// byte: the document cannot drift from the implementation.

const doc = readFileSync(new URL('../../spec/PROTOCOL.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

test('spec/PROTOCOL.md has example sessions', () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length} example blocks`);
});

for (const [i, block] of blocks.entries()) {
  test(`PROTOCOL.md example ${i + 1} is what the reference answers`, () => {
    let session = createReferenceSession();
    const lines = block.split('\n').filter((l) => l !== '');
    let exchanges = 0;
    for (let j = 0; j < lines.length; j += 2) {
      const request = lines[j] ?? '';
      const response = lines[j + 1] ?? '';
      assert.ok(request.startsWith('> ') && response.startsWith('< '), `line ${j + 1} of block`);
      const step = handleLine(session, request.slice(2));
      if (isPromise(step)) throw new Error('example ops are synchronous');
      assert.is(step.line, response.slice(2), request);
      session = step.session;
      exchanges += 1;
    }
    assert.ok(exchanges > 0);
  });
}

test.run();
