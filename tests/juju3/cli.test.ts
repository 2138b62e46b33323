import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// The juju-3 profile as users run it, through real processes: serve, conform
// (every level, a mutant, an implementation without the profile), check and
// fixtures export. Runs are small: what is tested here is the wiring, the
// suite itself is tested in process (kill.test.ts).

const run = (
  args: string[],
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/relspec.js', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });

const exportArgs = (id: string) => [
  'fixtures',
  'export',
  '--profile',
  'juju-3',
  '--format',
  'events',
  '--id',
  id,
];

const tmp = mkdtempSync(join(tmpdir(), 'relspec-juju3-cli-'));

test('serve --profile juju-3 says hello with the profile and answers rel.next', async () => {
  const r = await run(
    ['serve', '--profile', 'juju-3'],
    [
      '{"id":1,"op":"hello"}',
      '{"id":2,"op":"rel.open","rel":"db","relationId":3,"peer":false,"localUnit":"wp/0","remoteApp":"mysql"}',
      '{"id":3,"op":"rel.next","rel":"db","local":{"life":"alive","leader":false},"remote":{"life":"alive","suspended":false,"members":{"mysql/0":4},"applicationMembers":{}}}',
      '{"id":4,"op":"rel.next","rel":"db","local":{"life":"undead"},"remote":{"life":"alive"}}',
      '{"id":5,"op":"bye"}',
    ].join('\n'),
  );
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines[0].result.profile, 'juju-3');
  assert.ok(lines[0].result.supports.includes('resolver'));
  assert.equal(lines[2].result.hook.kind, 'relation-joined');
  assert.equal(lines[2].result.hook.changeVersion, 4);
  assert.is(lines[3].ok, false);
  assert.match(lines[3].error, 'local.life');
});

for (const level of ['exact', 'strict', 'guarantees']) {
  test(`conform --profile juju-3 --level ${level} passes against serve --profile juju-3`, async () => {
    const r = await run([
      'conform',
      '--profile',
      'juju-3',
      '--level',
      level,
      '--runs',
      '5',
      '--timeout',
      '60000',
    ]);
    assert.is(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, 'fixtures: 20 of 20 replay as recorded');
    assert.match(r.stdout, 'phase several relations: 5 scenarios conform');
  });
}

test('conform --profile juju-3 kills a mutant served as a process, with a shrunk counterexample', async () => {
  const failures = join(tmp, 'failures');
  const impl = `'${process.execPath}' --import tsx tests/impls/juju3/serve.ts J3-DEPARTEE`;
  const r = await run([
    'conform',
    '--profile',
    'juju-3',
    '--impl',
    impl,
    '--runs',
    '20',
    '--no-fixtures',
    '--timeout',
    '60000',
    '--failures',
    failures,
    '--fail-fast',
  ]);
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /FAIL phase [a-z ]+ \(seed 20150312, path [0-9:]+\): J3-DEPARTEE/);
  assert.match(r.stdout, 'counterexample');
  assert.ok(readdirSync(failures).length > 0);
});

test('conform --profile juju-3 refuses an implementation of the 2015 profile (exit 2)', async () => {
  const impl = `'${process.execPath}' bin/relspec.js serve`;
  const r = await run(['conform', '--profile', 'juju-3', '--impl', impl, '--runs', '1']);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stdout, 'does not support resolver');
});

test('conform --profile juju-3 refuses the 2015-only options instead of ignoring them', async () => {
  const r = await run(['conform', '--profile', 'juju-3', '--shard', '1/2', '--json', 'x.json']);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, '--json, --shard not supported with this profile');
});

test('check --profile juju-3: conforming, broken and malformed traces exit 0, 1, 2', async () => {
  const open =
    '{"event":"open","rel":"db","relationId":7,"peer":false,"localUnit":"wp/0","remoteApp":"mysql","created":true}';
  const snapshot =
    '{"local":{"life":"alive"},"relations":{"db":{"life":"alive","members":{"mysql/0":1}}}}';
  const joined =
    '{"kind":"relation-joined","relationId":7,"remoteUnit":"mysql/0","remoteApplication":"mysql","changeVersion":1}';
  const good = join(tmp, 'good.jsonl');
  writeFileSync(
    good,
    [
      open,
      `{"event":"hook","rel":"db","snapshot":${snapshot},"hook":${joined}}`,
      `{"event":"commit","rel":"db","hook":${joined}}`,
    ].join('\n'),
  );
  const bad = join(tmp, 'bad.jsonl');
  writeFileSync(bad, [open, `{"event":"idle","snapshot":${snapshot}}`].join('\n'));
  const malformed = join(tmp, 'malformed.jsonl');
  writeFileSync(malformed, [open, '{"event":"hook","rel":"db"}'].join('\n'));
  const a = await run(['check', '--profile', 'juju-3', good]);
  assert.is(a.status, 0, a.stdout);
  const b = await run(['check', '--profile', 'juju-3', bad]);
  assert.is(b.status, 1, b.stdout);
  assert.match(b.stdout, 'J12 broken at event 2');
  const c = await run(['check', '--profile', 'juju-3', malformed]);
  assert.is(c.status, 2, c.stdout);
  assert.match(c.stdout, 'line 2');
  assert.match(c.stdout, 'snapshot');
});

test('fixtures export --profile juju-3 --format events prints the committed hooks as a JSON list', async () => {
  const r = await run(exportArgs('j3-relation-dying'));
  assert.is(r.status, 0, r.stderr);
  const events = JSON.parse(r.stdout) as {
    kind: string;
    remoteUnit: string | null;
    remoteApp: string;
  }[];
  assert.equal(
    events.map((e) => e.kind),
    [
      'relation-joined',
      'relation-changed',
      'relation-joined',
      'relation-changed',
      'relation-departed',
      'relation-departed',
      'relation-broken',
    ],
  );
  assert.equal(events.at(-1), {
    kind: 'relation-broken',
    relationId: 7,
    remoteUnit: null,
    remoteApp: 'db0',
    departingUnit: null,
    version: 0,
  });
  const missing = await run(exportArgs('nope'));
  assert.is(missing.status, 2);
  assert.match(missing.stderr, 'no fixture with id "nope"');
});

test.run();
