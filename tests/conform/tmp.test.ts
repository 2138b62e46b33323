import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TempRoot } from '../../src/conform/tmp.ts';

// The per-run root (item 4): scenario directories come and go, anything
// else that appears there or in a watched directory is an escape.

test('tmp: writes outside the scenario directory are escapes with their path (item 4)', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'relspec-tmp-test-'));
  const cwd = mkdtempSync(join(tmpdir(), 'relspec-tmp-cwd-'));
  writeFileSync(join(cwd, 'old'), '');
  const failures = join(cwd, 'failures');
  const root = await TempRoot.create({ parent, watch: [cwd], ignore: [failures] });
  const base = await root.fresh('impl');
  mkdirSync(join(base, '7'), { recursive: true });
  writeFileSync(join(root.path, 'escaped'), 'x');
  writeFileSync(join(cwd, 'new'), 'x');
  mkdirSync(failures);
  await root.release(base);
  assert.equal(
    root
      .takeEscapes()
      .map((e) => e.path)
      .sort(),
    [join(cwd, 'new'), join(root.path, 'escaped')].sort(),
  );
  // Reported once; the escaped file in the run root is removed, the user's directory is left alone.
  assert.equal(root.takeEscapes(), []);
  assert.equal(await readdir(root.path), []);
  assert.equal((await readdir(cwd)).sort(), ['failures', 'new', 'old']);
  await root.remove();
  assert.equal(await readdir(parent), []);
  assert.equal(root.takeProblems(), []);
});

test('tmp: releasing a directory that is gone, or was never made, is no error', async () => {
  const root = await TempRoot.create({ parent: mkdtempSync(join(tmpdir(), 'relspec-tmp-test-')) });
  const base = await root.fresh('impl');
  await root.release(base);
  await root.release(base);
  assert.equal(root.takeProblems(), []);
  await root.remove();
});

test.run();
