import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { brokenHook, unitHook } from '../../src/model/hook.ts';
import { unitName } from '../../src/model/unitName.ts';
import { withFault } from '../../src/statedir/faults.ts';
import { readStateDir } from '../../src/statedir/read.ts';
import { withRecorder } from '../../src/statedir/recorder.ts';
import { openStateDir, type StateDir, stateDirOf } from '../../src/statedir/stateDir.ts';
import { encodeUnitFile } from '../../src/statedir/unitFile.ts';
import { assertState, leftMessage, R, right, state, volumeWith } from './helpers.ts';

const joined = (u: string, v: number | bigint) =>
  unitHook('relation-joined', R, unitName(u), changeVersion(v));
const changed = (u: string, v: number | bigint) =>
  unitHook('relation-changed', R, unitName(u), changeVersion(v));
const departed = (u: string, v: number | bigint = 0) =>
  unitHook('relation-departed', R, unitName(u), changeVersion(v));

const open = (files: Record<string, string | null> = { '/b/7': null }) => {
  const { vol, fs } = volumeWith(files);
  const dir: StateDir = right(openStateDir(fs, '/b', R));
  return { vol, fs, dir };
};

test('R-DIR-FORMAT: the file bytes are exactly goyaml output', () => {
  const text = (v: bigint, p: boolean) =>
    new TextDecoder().decode(encodeUnitFile(changeVersion(v), p));
  assert.is(text(101n, true), 'change-version: 101\nchanged-pending: true\n');
  assert.is(text(-9223372036854775808n, false), 'change-version: -9223372036854775808\n');
});

test('R-WRITE-JOINED / R-DIR-FILE-NAME: joined writes the pending file named with the first "/" as "-"', () => {
  const { vol, dir } = open();
  right(dir.write(joined('foo-bar/1', 101)));
  assert.equal(vol.toJSON(), { '/b/7/foo-bar-1': 'change-version: 101\nchanged-pending: true\n' });
  assertState(dir.state(), state({ 'foo-bar/1': 101 }, 'foo-bar/1'));
});

test('R-WRITE-CHANGED: changed rewrites the file without the pending mark and clears changedPending', () => {
  const { vol, dir } = open();
  right(dir.write(joined('foo/1', 1)));
  right(dir.write(changed('foo/1', 9223372036854775807n)));
  assert.equal(vol.toJSON(), { '/b/7/foo-1': 'change-version: 9223372036854775807\n' });
  assertState(dir.state(), state({ 'foo/1': 9223372036854775807n }));
});

test('R-WRITE-DEPARTED: departed deletes the file and the member, leaving changedPending alone', () => {
  const { vol, dir } = open({
    '/b/7/foo-1': 'change-version: 1\nchanged-pending: true\n',
    '/b/7/bar-2': 'change-version: 2\n',
  });
  right(dir.write(departed('bar/2')));
  assert.equal(Object.keys(vol.toJSON()), ['/b/7/foo-1']);
  assertState(dir.state(), state({ 'foo/1': 1 }, 'foo/1'));
  // Invalid sequence (Go quirk): departing the pending unit keeps it pending in memory.
  right(dir.write(departed('foo/1')));
  assertState(dir.state(), state({}, 'foo/1'));
});

test('R-WRITE-DEPARTED-MISSING: departing a unit without a file is fine', () => {
  const { vol, dir } = open();
  right(dir.write(departed('foo/1')));
  assertState(dir.state(), state({}));
  assert.equal(vol.toJSON(), { '/b/7': null });
});

test('R-WRITE-BROKEN / R-DIR-REMOVE: broken removes the empty directory, members become null', () => {
  const { vol, dir } = open();
  right(dir.write(brokenHook(R)));
  assert.equal(vol.toJSON(), { '/b': null });
  assertState(dir.state(), state(null));
  right(dir.write(brokenHook(R)));
  assertState(dir.state(), state(null));
});

test('R-DIR-REMOVE: a non-empty directory is an error, unprefixed from remove() and prefixed from write', () => {
  const { dir } = open({ '/b/7/foo-1': 'change-version: 1\n' });
  assert.is(leftMessage(dir.remove()), 'remove /b/7: directory not empty');
  assert.is(
    leftMessage(dir.write(brokenHook(R))),
    'failed to write "relation-broken" hook info for "" on state directory: remove /b/7: directory not empty',
  );
  assertState(dir.state(), state({ 'foo/1': 1 }));
  const missing = open({}).dir;
  right(missing.remove());
  assertState(missing.state(), state(null));
});

test('R-DIR-ENSURE: ensure makes the directory and parents; an error is unprefixed', () => {
  const { vol, dir } = open({});
  right(dir.ensure());
  right(dir.ensure());
  assert.equal(vol.toJSON(), { '/b/7': null });
  assert.is((vol.statSync('/b/7').mode & 0o777).toString(8), '755');
  const blocked = stateDirOf(volumeWith({ '/b': 'a file' }).fs, '/b/7', state({}));
  assert.is(leftMessage(blocked.ensure()), 'mkdir /b: not a directory');
});

test('R-WRITE-NO-ENSURE: a write does not create the directory', () => {
  const { dir } = open({});
  assert.is(
    leftMessage(dir.write(joined('foo/1', 1))),
    'failed to write "relation-joined" hook info for "foo/1" on state directory: open /b/7/foo-1.preparing: no such file or directory',
  );
  assertState(dir.state(), state({}));
});

test('R-WRITE-ATOMIC: the calls of a joined write, in order', () => {
  const { fs } = volumeWith({ '/b/7': null });
  const rec = withRecorder(fs);
  const dir = right(openStateDir(rec.port, '/b', R));
  const before = rec.calls().length;
  right(dir.write(joined('foo/1', 5)));
  assert.equal(
    rec
      .calls()
      .slice(before)
      .map((c) => `${c.call} ${c.path}${c.path2 ? ` ${c.path2}` : ''}`),
    [
      'open /b/7/foo-1.preparing',
      'write /b/7/foo-1.preparing',
      'fsync /b/7/foo-1.preparing',
      'close /b/7/foo-1.preparing',
      'rename /b/7/foo-1.preparing /b/7/foo-1',
      'syncDir /b/7',
    ],
  );
});

test('R-WRITE-ERRORS: each failing call of the atomic write is reported in Go form', () => {
  const cases: [string, string][] = [
    ['open', 'open /b/7/foo-1.preparing: no space left on device'],
    ['write', 'write /b/7/foo-1.preparing: no space left on device'],
    ['fsync', 'sync /b/7/foo-1.preparing: no space left on device'],
    ['close', 'close /b/7/foo-1.preparing: no space left on device'],
    ['rename', 'rename /b/7/foo-1.preparing /b/7/foo-1: no space left on device'],
    ['syncDir', 'sync /b/7: no space left on device'],
  ];
  for (const [call, text] of cases) {
    const { fs } = volumeWith({ '/b/7': null });
    const faulty = withFault(fs, { at: 1, call: call as never, code: 'ENOSPC' });
    const dir = right(openStateDir(faulty.port, '/b', R));
    assert.is(
      leftMessage(dir.write(joined('foo/1', 5))),
      `failed to write "relation-joined" hook info for "foo/1" on state directory: ${text}`,
    );
  }
});

test('R-WRITE-MEMORY-AFTER-DISK: a failed write leaves memory as it was', () => {
  const { fs } = volumeWith({ '/b/7/foo-1': 'change-version: 1\n' });
  const faulty = withFault(fs, { at: 1, call: 'rename', code: 'EIO' });
  const dir = right(openStateDir(faulty.port, '/b', R));
  assert.ok(E.isLeft(dir.write(changed('foo/1', 2))));
  assertState(dir.state(), state({ 'foo/1': 1 }));
  assertState(right(readStateDir(fs, '/b', R)).state, dir.state());
  const unlink = withFault(fs, { at: 1, call: 'unlink', code: 'EACCES' });
  const dir2 = right(openStateDir(unlink.port, '/b', R));
  assert.is(
    leftMessage(dir2.write(departed('foo/1'))),
    'failed to write "relation-departed" hook info for "foo/1" on state directory: remove /b/7/foo-1: permission denied',
  );
  assertState(dir2.state(), state({ 'foo/1': 1 }));
});

test('R-WRITE-SYNCDIR-FAILED: if only the directory sync fails, the error is reported and memory follows the disk (relspec)', () => {
  const { fs } = volumeWith({ '/b/7': null });
  const faulty = withFault(fs, { at: 1, call: 'syncDir', code: 'EIO' });
  const dir = right(openStateDir(faulty.port, '/b', R));
  assert.ok(E.isLeft(dir.write(joined('foo/1', 3))));
  assertState(dir.state(), state({ 'foo/1': 3 }, 'foo/1'));
  assertState(right(readStateDir(fs, '/b', R)).state, dir.state());
});

test('R-WRITE-AFTER-BROKEN: a unit write after broken revives the members (relspec; Go panicked)', () => {
  const { dir } = open();
  right(dir.write(brokenHook(R)));
  right(dir.ensure());
  right(dir.write(joined('foo/1', 1)));
  assertState(dir.state(), state({ 'foo/1': 1 }, 'foo/1'));
});

test('R-WRITE-NO-VALIDATE: write persists hooks that validate would refuse', () => {
  const { vol, dir } = open();
  right(dir.write(changed('foo/1', 4)));
  right(dir.write(joined('foo/1', 5)));
  assertState(dir.state(), state({ 'foo/1': 5 }, 'foo/1'));
  assert.equal(vol.toJSON(), { '/b/7/foo-1': 'change-version: 5\nchanged-pending: true\n' });
});

test('R-WRITE-IDEMPOTENT: writing each kind twice equals writing it once', () => {
  for (const hook of [joined('foo/1', 2), changed('foo/1', 3), departed('foo/1'), brokenHook(R)]) {
    const once = open({ '/b/7': null });
    const twice = open({ '/b/7': null });
    for (const d of [once, twice]) right(d.dir.write(joined('foo/1', 1)));
    if (hook.kind === 'relation-broken')
      for (const d of [once, twice]) right(d.dir.write(departed('foo/1')));
    right(once.dir.write(hook));
    right(twice.dir.write(hook));
    right(twice.dir.write(hook));
    assert.equal(twice.vol.toJSON(), once.vol.toJSON());
    assertState(twice.dir.state(), once.dir.state());
  }
});

test('R-WRITE-PREFIX: the prefix quotes kind and unit with Go %q; broken names ""', () => {
  const dir = stateDirOf(volumeWith({ '/b/7/foo-1/x': 'y' }).fs, '/b/7', state({ 'foo/1': 1 }));
  assert.is(
    leftMessage(dir.write(departed('foo/1'))),
    'failed to write "relation-departed" hook info for "foo/1" on state directory: remove /b/7/foo-1: directory not empty',
  );
});

test.run();
