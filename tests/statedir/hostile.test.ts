import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check, show } from '../../src/cli/commands/statedir.ts';
import { parseUnitFile, UNIT_FILE_MAX_BYTES } from '../../src/statedir/unitFile.ts';

// State directories others made (item 8): a unit file that is a FIFO, a
// symlink to /dev/zero, a huge or pathological YAML document is an error
// naming the file, at once, never a hang or a memory blow-up.

const capture = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

const base = (unit: (path: string) => void): string => {
  const dir = mkdtempSync(join(tmpdir(), 'relspec-hostile-statedir-'));
  mkdirSync(join(dir, '7'));
  unit(join(dir, '7', 'mysql-0'));
  return dir;
};

const shown = (dir: string) => {
  const c = capture();
  const code = show(dir, '7', c.io);
  const all = capture();
  const codeAll = show(dir, undefined, all.io);
  const checked = capture();
  const codeCheck = check(dir, checked.io);
  return {
    code,
    codeAll,
    codeCheck,
    text: [...c.lines, ...all.lines, ...checked.lines].join('\n'),
  };
};

test('statedir: a FIFO unit file is refused, not read (item 8)', () => {
  const dir = base((p) => execFileSync('mkfifo', [p]));
  const r = shown(dir);
  assert.equal([r.code, r.codeAll, r.codeCheck], [1, 1, 1]);
  assert.match(r.text, `open ${dir}/7/mysql-0: not a regular file`);
});

test('statedir: a symlink to /dev/zero is refused, not read for ever (item 8)', () => {
  const r = shown(base((p) => symlinkSync('/dev/zero', p)));
  assert.equal([r.code, r.codeAll, r.codeCheck], [1, 1, 1]);
  assert.match(r.text, 'not a regular file');
});

test("statedir: a directory as unit file keeps Go's error form (item 8)", () => {
  const dir = base((p) => mkdirSync(p));
  assert.match(shown(dir).text, `read ${dir}/7/mysql-0: is a directory`);
});

test('statedir: a 4 MB unit file of flow lists is refused at once (item 8)', () => {
  const r = shown(base((p) => writeFileSync(p, `change-version: [${'a,'.repeat(2_000_000)}]\n`)));
  assert.match(r.text, 'file too large');
});

test('statedir: YAML parsing cost is bounded: size, nesting and alias bombs (item 8)', () => {
  const big = `change-version: 1\n# ${'x'.repeat(UNIT_FILE_MAX_BYTES)}\n`;
  const refused = parseUnitFile(big);
  assert.is(refused._tag, 'Left');
  const deep = parseUnitFile(`${'['.repeat(1000)}${']'.repeat(1000)}`);
  assert.is(deep._tag, 'Left');
  // A self-referencing alias: expanding it is exponential; it is never expanded.
  const bomb = `a: &a [${'*a,'.repeat(1000)}]\nchange-version: 4\n`;
  const t0 = performance.now();
  const read = parseUnitFile(bomb);
  assert.ok(performance.now() - t0 < 5000, 'the alias bomb is read without expanding it');
  assert.equal(read, { _tag: 'Right', right: { version: 4n, changedPending: false } });
  // Merge keys still apply, as in Go's yaml.v1.
  assert.equal(parseUnitFile('base: &b {change-version: 5}\n<<: *b\nchanged-pending: yes\n'), {
    _tag: 'Right',
    right: { version: 5n, changedPending: true },
  });
});

test.run();
