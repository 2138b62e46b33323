import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { relationId } from '../../src/model/relationId.ts';
import { nodeFs } from '../../src/statedir/nodeFs.ts';
import { readAllStateDirs, readStateDir } from '../../src/statedir/read.ts';
import { withRecorder } from '../../src/statedir/recorder.ts';
import { assertState, leftMessage, R, right, state, volumeWith } from './helpers.ts';

test('R-READ-MISSING: a missing relation directory is an empty state and nothing is created', () => {
  const { vol, fs: port } = volumeWith({ '/base/8/foo-1': 'change-version: 1\n' });
  const rec = withRecorder(port);
  const dir = right(readStateDir(rec.port, '/base', R));
  assert.is(dir.path, '/base/7');
  assertState(dir.state, state({}));
  assert.ok(rec.calls().every((c) => c.call === 'stat'));
  assert.equal(Object.keys(vol.toJSON()), ['/base/8/foo-1']);
});

test('R-DIR-PATH: the relation directory is base/<id>, cleaned like Go filepath.Join', () => {
  const { fs: port } = volumeWith({});
  assert.is(right(readStateDir(port, '/base//x/../', R)).path, '/base/7');
  assert.is(right(readStateDir(port, '', relationId(-3))).path, '-3');
});

test('R-READ-UNIT: members, versions and the pending unit come from the files', () => {
  const { fs: port } = volumeWith({
    '/b/7/foo-bar-1': 'change-version: 101\nchanged-pending: true\n',
    '/b/7/baz-0': 'change-version: -9223372036854775808\nother: ignored\n',
    '/b/7/qux-12': 'change-version: 9223372036854775807\nchanged-pending: false\n',
  });
  assertState(
    right(readStateDir(port, '/b', R)).state,
    state(
      { 'foo-bar/1': 101, 'baz/0': -9223372036854775808n, 'qux/12': 9223372036854775807n },
      'foo-bar/1',
    ),
  );
});

test('R-READ-IGNORED: names without a "-" or whose suffix is not an integer are ignored', () => {
  const { fs: port } = volumeWith({
    '/b/7/foo-bar-1.preparing': 'garbage: [',
    '/b/7/nonsensical': 'garbage: [',
    '/b/7/27': 'garbage: [',
    '/b/7/foo-': 'garbage: [',
    '/b/7/foo-1x': 'garbage: [',
    '/b/7/foo-99999999999999999999': 'garbage: [',
    '/b/7/foo-1': 'change-version: 3\n',
  });
  assertState(right(readStateDir(port, '/b', R)).state, state({ 'foo/1': 3 }));
});

const loadError = (files: Record<string, string | null>): string =>
  leftMessage(readStateDir(volumeWith(files).fs, '/b', R));

test('R-READ-INVALID-NAME: a unit-looking name that is not a unit name is an error (relspec)', () => {
  for (const [name, unit] of [
    ['foo--1', 'foo-/1'],
    ['x-+1', 'x/+1'],
    ['Foo-1', 'Foo/1'],
    ['foo-01', 'foo/01'],
    ['-1', '/1'],
    ['foo-1-2', 'foo-1/2'],
  ]) {
    assert.is(
      loadError({ [`/b/7/${name}`]: 'change-version: 1\n' }),
      `cannot load relation state from "/b/7": invalid unit file "${name}": "${unit}" is not a valid unit name`,
    );
  }
});

test('R-READ-UNREADABLE: a unit entry that cannot be read gives the read error, Go formatted', () => {
  assert.is(
    loadError({ '/b/7/foo-bar-1/x': 'y' }),
    'cannot load relation state from "/b/7": read /b/7/foo-bar-1: is a directory',
  );
});

test('R-READ-UNREADABLE on node:fs: the same text from the real file system', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-read-'));
  try {
    fs.mkdirSync(path.join(base, '7', 'foo-bar-1'), { recursive: true });
    assert.is(
      leftMessage(readStateDir(nodeFs(), base, R)),
      `cannot load relation state from "${base}/7": read ${base}/7/foo-bar-1: is a directory`,
    );
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('R-READ-STAT-ERROR: stat and directory read errors other than not-exist are reported', () => {
  assert.is(
    leftMessage(readStateDir(volumeWith({ '/b': 'a file' }).fs, '/b', R)),
    'cannot load relation state from "/b/7": stat /b/7: not a directory',
  );
  assert.is(
    loadError({ '/b/7': 'a file' }),
    'cannot load relation state from "/b/7": readdirent /b/7: not a directory',
  );
});

test('R-READ-BAD-YAML: a file that is not YAML names the file and the parser message', () => {
  assert.is(
    loadError({ '/b/7/foo-1': "'" }),
    `cannot load relation state from "/b/7": invalid unit file "foo-1": Missing closing 'quote at line 1, column 2`,
  );
  assert.match(
    loadError({ '/b/7/foo-1': 'change-version: [1\n' }),
    /^cannot load relation state from "\/b\/7": invalid unit file "foo-1": [^\n]+ at line \d+, column \d+$/,
  );
});

test('R-READ-NO-VERSION: a file without change-version says "changed-version" not set (sic)', () => {
  for (const text of ['blah: blah\n', '', '~\n', '- 1\n', 'just a string\n']) {
    assert.is(
      loadError({ '/b/7/foo-1': text }),
      'cannot load relation state from "/b/7": invalid unit file "foo-1": "changed-version" not set',
    );
  }
});

test('R-READ-VERSION-TYPE: a non-integer change-version reads as not set (relspec, likely Go)', () => {
  for (const v of ['foo', '1.5', 'true', '[1]', '{a: 1}', '"12"', '~']) {
    assert.is(
      loadError({ '/b/7/foo-1': `change-version: ${v}\n` }),
      'cannot load relation state from "/b/7": invalid unit file "foo-1": "changed-version" not set',
    );
  }
});

test('R-READ-VERSION-RANGE: an integer outside int64 is refused with its value (relspec)', () => {
  assert.is(
    loadError({ '/b/7/foo-1': 'change-version: 9223372036854775808\n' }),
    'cannot load relation state from "/b/7": invalid unit file "foo-1": change-version 9223372036854775808 is outside the int64 range',
  );
  assert.is(
    loadError({ '/b/7/foo-1': 'change-version: -9223372036854775809\n' }),
    'cannot load relation state from "/b/7": invalid unit file "foo-1": change-version -9223372036854775809 is outside the int64 range',
  );
});

test('R-READ-YAML-DIALECT: YAML 1.1 integers and booleans, only true marks pending', () => {
  const { fs: port } = volumeWith({
    '/b/7/a-1': 'change-version: 0x10\nchanged-pending: yes\n',
    '/b/7/b-1': 'change-version: 1_000\nchanged-pending: "true"\n',
  });
  assertState(right(readStateDir(port, '/b', R)).state, state({ 'a/1': 16, 'b/1': 1000 }, 'a/1'));
});

test('R-READ-YAML-DIALECT: duplicate keys are a parser error; "on" is true', () => {
  assert.match(
    loadError({ '/b/7/foo-1': 'change-version: 1\nchange-version: 2\n' }),
    /^cannot load relation state from "\/b\/7": invalid unit file "foo-1": Map keys must be unique/,
  );
  const { fs: port } = volumeWith({ '/b/7/a-1': 'change-version: 1\nchanged-pending: on\n' });
  assertState(right(readStateDir(port, '/b', R)).state, state({ 'a/1': 1 }, 'a/1'));
});

test('R-READ-BOTH-PENDING: two pending files, named in name order', () => {
  assert.is(
    loadError({
      '/b/7/foo-2': 'change-version: 456\nchanged-pending: true\n',
      '/b/7/foo-1': 'change-version: 123\nchanged-pending: true\n',
    }),
    'cannot load relation state from "/b/7": "foo/1" and "foo/2" both have pending changed hooks',
  );
});

test('R-READ-ORDER: entries are visited in name order, so the first problem by name is reported', () => {
  assert.is(
    loadError({ '/b/7/zed-1': 'x: [', '/b/7/abc-1': 'nothing: here\n' }),
    'cannot load relation state from "/b/7": invalid unit file "abc-1": "changed-version" not set',
  );
});

test('R-READ-PREFIX: the prefix quotes the directory path with Go %q', () => {
  assert.is(
    leftMessage(readStateDir(volumeWith({ '/b"\t/7/foo-1': 'x: [' }).fs, '/b"\t', R)).split(
      ': ',
    )[0],
    'cannot load relation state from "/b\\"\\t/7"',
  );
});

test('R-READ-ALL-MISSING: a missing base has no relations', () => {
  assert.is(right(readAllStateDirs(volumeWith({}).fs, '/nowhere')).size, 0);
});

test('R-READ-ALL-ENTRIES: integer-named entries are relations, the rest is ignored', () => {
  const { fs: port } = volumeWith({
    '/b/1/foo-1': 'change-version: 1\n',
    '/b/-2/bar-3': 'change-version: 2\nchanged-pending: true\n',
    '/b/x/foo-1': 'garbage: [',
    '/b/1a': 'garbage',
    '/b/12': null,
  });
  const all = right(readAllStateDirs(port, '/b'));
  assert.equal([...all.keys()], [-2, 1, 12]);
  assertState(
    all.get(relationId(-2))?.state ?? state({}),
    state({ 'bar/3': 2 }, 'bar/3', relationId(-2)),
  );
  assert.is(all.get(relationId(12))?.path, '/b/12');
});

test('R-READ-ALL-ATOI-QUIRK: "+7" and "007" pass Atoi and read base/7 (Go quirk)', () => {
  const { fs: port } = volumeWith({
    '/b/+7': null,
    '/b/007': null,
    '/b/7/foo-1': 'change-version: 5\n',
  });
  const all = right(readAllStateDirs(port, '/b'));
  assert.equal([...all.keys()], [7]);
  assertState(all.get(R)?.state ?? state({}), state({ 'foo/1': 5 }));
  // An alias without the real directory reads an empty relation 7.
  const alone = right(readAllStateDirs(volumeWith({ '/b/+7/foo-1': 'x: [' }).fs, '/b'));
  assertState(alone.get(R)?.state ?? state(null), state({}));
});

test('R-READ-ALL-PREFIX: the inner error is wrapped with the base as given', () => {
  assert.is(
    leftMessage(readAllStateDirs(volumeWith({ '/b/7/foo-1': 'x: 1\n' }).fs, '/b/')),
    'cannot load relations state from "/b/": cannot load relation state from "/b/7": invalid unit file "foo-1": "changed-version" not set',
  );
  assert.is(
    leftMessage(readAllStateDirs(volumeWith({ '/b': 'file' }).fs, '/b')),
    'cannot load relations state from "/b": readdirent /b: not a directory',
  );
});

test('R-READ-ALL-ID-RANGE: an Atoi-valid id beyond the safe integers is an error (relspec)', () => {
  assert.is(
    leftMessage(readAllStateDirs(volumeWith({ '/b/9007199254740993': null }).fs, '/b')),
    'cannot load relations state from "/b": relation directory "9007199254740993": id is outside the supported range',
  );
});

test.run();
