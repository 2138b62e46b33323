import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkAsync } from '../../properties/config.ts';
import { check, show } from '../../src/cli/commands/statedir.ts';
import { entry, listing, made, makeTree } from './tree.ts';

// `statedir show` and `statedir check` over hostile state directories:
// an exit code of 0, 1 or 2, no exception, and nothing written.

const relationNames = fc.constantFrom(
  '7',
  '+7',
  '007',
  '-7',
  '9223372036854775808',
  'x',
  '7.preparing',
);
const unitNames = fc.constantFrom(
  'mysql-0',
  'a-1',
  'wordpress-2.preparing',
  'Bad-0',
  'x',
  '-1',
  'a-+1',
  'mysql-00',
);

const tree = fc.array(
  fc.oneof(
    entry(relationNames, 1),
    fc.tuple(relationNames, entry(unitNames, 1)).map(([r, e]) => ({ ...e, path: [r, ...e.path] })),
  ),
  { maxLength: 8 },
);

const root = mkdtempSync(join(tmpdir(), 'relspec-fuzz-statedir-'));
let n = 0;

test('fuzz: statedir show/check on hostile state directories', async () => {
  await checkAsync(
    fc.asyncProperty(tree, async (entries) => {
      const base = join(root, String(n++));
      makeTree(base, entries);
      const before = listing(base);
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      const codes = [show(base, '7', io), show(base, undefined, io), check(base, io)];
      for (const code of codes) assert.ok([0, 1, 2].includes(code), `exit ${code}`);
      assert.equal(listing(base), before, 'a read changed the directory');
      for (const line of lines) assert.not.match(line, /\n\s+at /, line);
    }),
    60,
  );
  for (const kind of ['file', 'big file', 'dir', 'fifo', 'zero', 'loop', 'dangling', 'up']) {
    assert.ok((made.get(kind) ?? 0) > 0, `no ${kind} was generated`);
  }
});

test.run();
