import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCrashPoints } from '../../src/crash/cli.ts';
import { describeCall, type FileCall, fileCalls } from '../../src/crash/fileCalls.ts';
import { cutStates, laterLossStates, missingCalls } from '../../src/crash/powerCutStates.ts';
import { answerPositions, callsByStep } from '../../src/crash/record.ts';
import { crashTable } from '../../src/crash/report.ts';
import { stratifiedSample } from '../../src/crash/sample.ts';
import { IMAGE_BASE, imageText, readImage } from '../../src/crash/snapshot.ts';
import { straceArgs } from '../../src/crash/strace.ts';
import { parseStraceLog, unhex } from '../../src/crash/straceLog.ts';
import type { Image } from '../../src/statedir/powercut/image.ts';

// The strace side of the crash phases, on hand-written logs: no process runs here.

const hex = (s: string) =>
  [...new TextEncoder().encode(s)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
const q = (s: string) => `"${hex(s)}"`;
const fd = (n: number | string, p: string) => `${n}<${hex(p)}>`;

const B = '/w/base';
const CWD = '/w';

/** The log of one atomic write of 7/b-0, as `strace -f -xx -y` prints it, among runtime noise. */
const atomicWrite = (tid: number, reply: number, opts: { fsync?: boolean } = {}) => {
  const tmp = `${B}/7/b-0.preparing`;
  const data = 'change-version: 1\nchanged-pending: true\n';
  return [
    `${tid} openat(${fd('AT_FDCWD', CWD)}, ${q('/usr/lib/x.so')}, O_RDONLY|O_CLOEXEC) = ${fd(3, '/usr/lib/x.so')}`,
    `${tid} openat(${fd('AT_FDCWD', CWD)}, ${q(tmp)}, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = ${fd(18, tmp)}`,
    `${tid + 1} write(${fd(5, 'anon_inode:[eventfd]')}, ${q('\u0001')}, 8) = 8`,
    `${tid} write(${fd(18, tmp)}, ${q(data)}, ${data.length}) = ${data.length}`,
    ...(opts.fsync === false ? [] : [`${tid} fsync(${fd(18, tmp)}) = 0`]),
    `${tid} rename(${q(tmp)}, ${q(`${B}/7/b-0`)} <unfinished ...>`,
    `${tid + 1} write(${fd(5, 'anon_inode:[eventfd]')}, ${q('\u0001')}, 8) = 8`,
    `${tid} <... rename resumed>) = 0`,
    `${tid} openat(${fd('AT_FDCWD', CWD)}, ${q(`${B}/7`)}, O_RDONLY|O_CLOEXEC) = ${fd(19, `${B}/7`)}`,
    ...(opts.fsync === false ? [] : [`${tid} fsync(${fd(19, `${B}/7`)}) = 0`]),
    `${tid} write(${fd(1, 'pipe:[1]')}, ${q(`{"id":${reply},"ok":true,"result":{}}\n`)}, 36) = 36`,
  ].join('\n');
};

test('parse: unfinished calls are joined with their resumption, in entry order', () => {
  const calls = parseStraceLog(atomicWrite(100, 1000));
  const rename = calls.find((c) => c.name === 'rename');
  assert.ok(rename);
  assert.is(rename.ret, '0');
  assert.is(calls.indexOf(rename), 5);
  assert.is(new TextDecoder().decode(unhex(hex('a/b'))), 'a/b');
});

test('parse: injected failures and killed calls', () => {
  const calls = parseStraceLog(
    [
      `7 fsync(${fd(18, `${B}/x`)}) = -1 EIO (Input/output error) (INJECTED)`,
      `7 rename(${q(`${B}/a`)}, ${q(`${B}/b`)}) = ?`,
      '7 +++ killed by SIGKILL +++',
    ].join('\n'),
  );
  assert.is(calls.length, 2);
  assert.ok(calls[0]?.injected);
  assert.is(calls[0]?.ret, '-1 EIO (Input/output error)');
  assert.is(calls[1]?.ret, '?');
});

test('mutating calls: only those under the base, with when= per thread and rank per directory', () => {
  const calls = fileCalls(parseStraceLog(atomicWrite(100, 1000)), B, CWD, [100, 101]);
  assert.equal(
    calls.map((c) => describeCall(c, B)),
    [
      'openat 7/b-0.preparing O_CREAT|O_TRUNC',
      'write 7/b-0.preparing (40 bytes)',
      'fsync 7/b-0.preparing',
      'rename 7/b-0.preparing -> 7/b-0',
      'fsync 7',
    ],
  );
  // when= counts every call of the syscall in the thread (the library openat
  // too); the eventfd writes are another thread's.
  assert.equal(
    calls.map((c) => c.nth),
    [2, 1, 1, 1, 2],
  );
  assert.equal(
    calls.map((c) => `${c.aim.dir} ${c.aim.rank}`),
    ['7 1', '7 1', '7 1', '7 1', '. 1'],
  );
  assert.equal(calls[3]?.paths, [`${B}/7/b-0.preparing`, `${B}/7/b-0`]);
});

test('mutating calls: a random temporary name does not change the aim', () => {
  const named = (tmp: string) =>
    fileCalls(parseStraceLog(atomicWrite(100, 1000).replaceAll('b-0.preparing', tmp)), B, CWD);
  assert.equal(
    named('tmpa1b2c3').map((c) => c.aim),
    named('tmpzz9y8x').map((c) => c.aim),
  );
});

test('requests: each call belongs to the request whose answer follows it', () => {
  const log = parseStraceLog(`${atomicWrite(100, 1000)}\n${atomicWrite(100, 1001)}`);
  const answers = answerPositions(log, 2);
  assert.ok(answers.every((a) => a !== undefined));
  const split = callsByStep(fileCalls(log, B, CWD), answers);
  assert.equal(
    split.map((s) => s.length),
    [5, 5],
  );
  // The second open of the temporary file is the second openat in its directory.
  assert.is(split[1]?.[0]?.aim.rank, 2);
});

test('strace arguments: attach to the processes and kill or fail the n-th call', () => {
  const args = straceArgs('/tmp/l', [41, 42], {
    syscall: 'rename',
    nth: 2,
    action: { kind: 'error', code: 'ENOSPC' },
  });
  assert.match(args.join(' '), '-e inject=rename:error=ENOSPC:when=2 -p 41 -p 42');
  assert.not.match(args.join(' '), '-P');
});

const emptyDir: Image = {
  dirs: new Set(['/', IMAGE_BASE, `${IMAGE_BASE}/7`]),
  links: new Map(),
  data: new Map(),
};

const recordedCalls = (opts: { fsync?: boolean }): FileCall[] =>
  fileCalls(parseStraceLog(atomicWrite(100, 1000, opts)), B, CWD);

test('power cut: write, fsync, rename, fsync dir always reads the state before or after', () => {
  const states = cutStates(emptyDir, recordedCalls({}), B);
  assert.ok(states.length > 5);
  const readings = states.map((s) => readImage(s.image));
  assert.ok(readings.every((r) => r._tag === 'Right'));
  const members = new Set(
    readings.map((r) => (r._tag === 'Right' ? (r.right.get(7 as never)?.members?.size ?? 0) : -1)),
  );
  assert.equal([...members].sort(), [0, 1]);
});

test('power cut: without fsync, a rename can publish lost data, and the missing call is named', () => {
  const calls = recordedCalls({ fsync: false });
  const states = cutStates(emptyDir, calls, B);
  const bad = states.filter((s) => readImage(s.image)._tag === 'Left');
  assert.ok(bad.length > 0, 'some state is unreadable');
  const fewest = [...bad].sort((a, b) => a.lost.length - b.lost.length)[0];
  assert.ok(fewest);
  assert.equal(missingCalls(fewest, calls, B), [
    'fsync of 7/b-0.preparing before rename 7/b-0.preparing -> 7/b-0',
  ]);
  assert.is(Object.keys(imageText(fewest.image)).includes('7/b-0'), true);
});

test('power cut across requests: an unsynced mkdir of an earlier request is lost with the files written into it', () => {
  const mkdir = `100 mkdir(${q(`${B}/7`)}, 0755) = 0`;
  const calls = fileCalls(parseStraceLog(`${mkdir}\n${atomicWrite(100, 1001)}`), B, CWD);
  const base: Image = { dirs: new Set(['/', IMAGE_BASE]), links: new Map(), data: new Map() };
  const states = laterLossStates(base, calls, B, 1);
  assert.equal(
    states.map((s) => s.lost.map((l) => `${l.label} ${l.fate}`)),
    [['mkdir 7 lost']],
  );
  assert.equal(imageText((states[0] as (typeof states)[0]).image), {});
});

test('power cut across requests: a rename whose directory is never synced is undone later, and named', () => {
  const noDirSync = (reply: number) =>
    atomicWrite(100, reply).replace(`100 fsync(${fd(19, `${B}/7`)}) = 0`, '');
  const calls = fileCalls(parseStraceLog(`${noDirSync(1000)}\n${noDirSync(1001)}`), B, CWD);
  const states = laterLossStates(emptyDir, calls, B, 4);
  const undone = states.find((s) => s.lost.some((l) => l.label.startsWith('rename')));
  assert.ok(undone, 'the first rename may be undone');
  assert.equal(missingCalls(undone, calls, B), [
    'fsync of the directory 7 after rename 7/b-0.preparing -> 7/b-0',
  ]);
});

test('sample: seeded, every group before any group twice, original order kept', () => {
  const items = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2'];
  const group = (s: string) => s[0] as string;
  const one = stratifiedSample(items, group, 3, 7);
  assert.equal(one, stratifiedSample(items, group, 3, 7));
  assert.equal(new Set(one.map(group)).size, 3);
  assert.equal(
    one,
    [...one].sort((x, y) => items.indexOf(x) - items.indexOf(y)),
  );
  assert.equal(stratifiedSample(items, group, undefined, 7), items);
});

test('report: one Markdown row per request kind, counts right-aligned', () => {
  const lines = crashTable([
    {
      phase: 'power cut',
      kind: 'ensure',
      calls: 2,
      tried: 4,
      recovered: 4,
      failures: 0,
      missed: 0,
    },
    {
      phase: 'power cut',
      kind: 'write relation-joined',
      calls: 20,
      tried: 20,
      recovered: 17,
      failures: 3,
      missed: 0,
    },
  ]);
  assert.is(
    lines[0],
    '| request kind          | calls | crash points tried | states recovered | failures |',
  );
  assert.is(
    lines[1],
    '|-----------------------|------:|-------------------:|-----------------:|---------:|',
  );
  assert.is(
    lines[3],
    '| write relation-joined |    20 |                 20 |               17 |        3 |',
  );
});

test('--crash-points: all, or a positive integer; anything else is a usage error naming the flag', () => {
  assert.is(parseCrashPoints('all'), 'all');
  assert.is(parseCrashPoints('5'), 5);
  assert.throws(
    () => parseCrashPoints('0'),
    /--crash-points must be "all" or an integer >= 1, got "0"/,
  );
  assert.throws(() => parseCrashPoints('some'), /--crash-points/);
});

test.run();
