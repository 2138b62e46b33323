import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkAsync } from '../../properties/config.ts';
import { loadFixtureDir } from '../../src/fixtures/dir.ts';
import { referenceFixtureSession } from '../../src/fixtures/reference.ts';
import { conforms } from '../../src/fixtures/replay.ts';
import { verifyAll } from '../../src/fixtures/verify.ts';
import { jsonish, mutateText } from './arbitraries.ts';
import { entry, listing, makeTree } from './tree.ts';

// `fixtures verify` over hostile fixture directories: real fixtures with a
// field replaced or the text mangled, next to directories, FIFOs and links
// named *.json. The verdict is 0, 1 or 2, never an exception, and nothing
// is written outside the temporary base of each replay.

const SAMPLES = readdirSync('fixtures')
  .filter((n) => n.endsWith('.json'))
  .slice(0, 12)
  .map((n) => readFileSync(join('fixtures', n), 'utf8'));

const PATHS = [
  '$BASE',
  '$BASE/../x',
  '$BASE/a/../../y',
  '/tmp',
  '',
  'rel',
  '/dev/null',
  '$BASE//sub/../',
];

const edited: fc.Arbitrary<string> = fc
  .record({
    text: fc.constantFrom(...SAMPLES),
    step: fc.nat(),
    field: fc.constantFrom('base', 'dir', 'source', 'op', 'relationId', 'hook', 'state'),
    value: fc.oneof(fc.constantFrom(...PATHS), jsonish),
    initial: fc.option(
      fc.dictionary(
        fc.oneof(fc.string(), fc.constantFrom('a', 'a/b', '7/x-0', 'x'.repeat(300))),
        fc.option(fc.string(), { nil: null }),
        { maxKeys: 3 },
      ),
    ),
  })
  .map(({ text, step, field, value, initial }) => {
    const f = JSON.parse(text) as {
      steps: { request: Record<string, unknown> }[];
      initialFiles?: unknown;
    };
    const s = f.steps[step % f.steps.length];
    if (s !== undefined) s.request[field] = value;
    if (initial !== null) f.initialFiles = initial;
    return JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  });

const fixtureFile = fc.oneof(edited, fc.constantFrom(...SAMPLES).chain(mutateText));

const names = fc.constantFrom('a.json', 'b.json', 'd.json', 'x.json');

const dir = fc.record({
  files: fc.array(fc.tuple(names, fixtureFile), { maxLength: 3 }),
  odd: fc.array(entry(names, 1), { maxLength: 2 }),
});

const root = mkdtempSync(join(tmpdir(), 'relspec-fuzz-fixtures-'));
let n = 0;

test('fuzz: fixtures verify on hostile fixture directories', async () => {
  const cwdBefore = readdirSync('.').sort();
  const codes = new Set<number>();
  await checkAsync(
    fc.asyncProperty(dir, async ({ files, odd }) => {
      const d = join(root, String(n++));
      mkdirSync(d);
      makeTree(d, odd);
      for (const [name, text] of files) {
        try {
          writeFileSync(join(d, name), text, { flag: 'wx' });
        } catch {
          // Taken by an odd entry.
        }
      }
      const before = listing(root);
      const loaded = await loadFixtureDir(d);
      let code = 2;
      if (E.isRight(loaded)) {
        const reports = await verifyAll(loaded.right, referenceFixtureSession);
        code = reports.every(conforms) ? 0 : 1;
      }
      assert.ok([0, 1, 2].includes(code));
      codes.add(code);
      assert.equal(listing(root), before, 'something was written next to the fixtures');
    }),
    40,
  );
  // Both kinds of verdict are reached: refused directories and replayed ones.
  assert.ok(codes.has(2) && (codes.has(0) || codes.has(1)), `verdicts reached: ${[...codes]}`);
  assert.equal(
    readdirSync('.').sort(),
    cwdBefore,
    'something was written in the working directory',
  );
});

test.run();
