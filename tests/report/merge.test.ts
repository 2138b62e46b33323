import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunDocument } from '../../src/report/document.ts';
import { mergeRuns, type NamedRun } from '../../src/report/merge.ts';
import { relspec } from '../support/relspec.ts';

// `relspec report merge`: the shards of one run join into that run's
// verdict, and anything that is not one complete run is refused, with the
// file and the field named and nothing written.

const tmp = mkdtempSync(join(tmpdir(), 'relspec-merge-'));

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
ajv.addSchema(JSON.parse(readFileSync('spec/fixture.schema.json', 'utf8')));
const validate = ajv.compile(JSON.parse(readFileSync('spec/report.schema.json', 'utf8')));

const shardDoc = (k: number, n: number, extra: Partial<RunDocument> = {}): RunDocument => ({
  format: 'relspec-run',
  version: 1,
  implementation: { command: './agent', hello: 'agent 1.0' },
  level: 'exact',
  seed: 7,
  runs: 10,
  maxSteps: 25,
  fixtures: null,
  exitCode: 0,
  seconds: k,
  phases: [{ name: 'well-behaved', checked: 5, failures: 0, seconds: 1 }],
  ids: [{ id: 'G1', title: 'one', reached: k, failed: 0, advised: 0 }],
  failures: [],
  advisories: [],
  shard: { k, n },
  ...extra,
});

const named = (docs: RunDocument[]): NamedRun[] =>
  docs.map((doc) => ({ file: `s${doc.shard?.k}.json`, doc }));

const refusal = (docs: RunDocument[]): string => {
  const r = mergeRuns(named(docs));
  if (E.isRight(r)) throw new Error('merged what should be refused');
  return r.left;
};

test('counts add up, the worst verdict wins, the order given does not matter', () => {
  const failure = {
    phase: 'well-behaved',
    ids: ['G1'],
    steps: 2,
    stepsBefore: 9,
    lines: ['x'],
    fixturePath: null,
    counterexample: null,
  };
  const a = shardDoc(1, 2, {
    advisories: [{ id: 'R-X', message: 'first', phase: 'well-behaved', count: 2 }],
  });
  const b = shardDoc(2, 2, {
    exitCode: 1,
    failures: [failure],
    phases: [{ name: 'well-behaved', checked: 4, failures: 1, seconds: 2 }],
    advisories: [{ id: 'R-X', message: 'second', phase: 'well-behaved', count: 1 }],
  });
  const one = mergeRuns(named([b, a]));
  const two = mergeRuns(named([a, b]));
  assert.ok(E.isRight(one) && E.isRight(two));
  assert.equal(one.right, two.right);
  const m = one.right;
  assert.is(m.exitCode, 1);
  assert.is(m.seconds, 2);
  assert.equal(m.phases, [{ name: 'well-behaved', checked: 9, failures: 1, seconds: 3 }]);
  assert.equal(m.ids, [{ id: 'G1', title: 'one', reached: 3, failed: 0, advised: 0 }]);
  assert.equal(m.advisories, [{ id: 'R-X', message: 'first', phase: 'well-behaved', count: 3 }]);
  assert.is(m.failures.length, 1);
  assert.is(m.shard, undefined);
  assert.is(m.mergedShards, 2);
  assert.ok(validate(JSON.parse(JSON.stringify(m))), ajv.errorsText(validate.errors));
});

test('refused: a missing shard, a repeated one, a different n, a document not sharded', () => {
  assert.match(refusal([shardDoc(1, 3), shardDoc(3, 3)]), 'shard(s) 2/3 missing');
  assert.match(refusal([shardDoc(1, 2), shardDoc(1, 2)]), 'shard 1/2 given twice');
  assert.match(refusal([shardDoc(1, 2), shardDoc(2, 3)]), 's2.json: shard is 2/3');
  const { shard: _, ...whole } = shardDoc(1, 1);
  assert.match(refusal([whole]), 'not a shard');
  assert.match(refusal([{ ...shardDoc(1, 1), mergedShards: 2 }]), 'already a merged document');
  assert.match(refusal([]), 'nothing to merge');
});

test('refused: shards of different runs, naming the field', () => {
  const cases: [Partial<RunDocument>, string][] = [
    [{ seed: 8 }, 's2.json: seed is 8, but s1.json has 7'],
    [{ level: 'strict' }, 'level is "strict"'],
    [{ runs: 11 }, 'runs is 11'],
    [{ maxSteps: 3 }, 'maxSteps is 3'],
    [{ fixtures: 'fixtures' }, 'fixtures is "fixtures"'],
    [{ implementation: { command: './other', hello: 'agent 1.0' } }, 'implementation.command'],
    [{ implementation: { command: './agent', hello: 'agent 2.0' } }, 'implementation.hello'],
  ];
  for (const [change, message] of cases) {
    assert.match(refusal([shardDoc(1, 2), shardDoc(2, 2, change)]), message);
  }
});

test('conform --shard k/n --json, then report merge: the counts of the unsharded run', async () => {
  const common = ['conform', '--phase', 'API misuse', '--runs', '12', '--jobs', '1'];
  const whole = join(tmp, 'whole.json');
  const w = await relspec(...common, '--failures', join(tmp, 'f0'), '--json', whole);
  assert.is(w.status, 0, w.stdout + w.stderr);
  const shards: string[] = [];
  for (const k of [1, 2]) {
    const file = join(tmp, `shard-${k}.json`);
    const s = await relspec(
      ...common,
      '--shard',
      `${k}/2`,
      '--failures',
      join(tmp, `f${k}`),
      '--json',
      file,
    );
    assert.is(s.status, 0, s.stdout + s.stderr);
    assert.ok(s.stdout.includes(`shard ${k}/2 of seed`), s.stdout);
    // `report` prints a shard's document as conform printed it, shard line included.
    const again = await relspec('report', file);
    const printed = s.stdout.split('\n').filter((l) => !/^ {2}[^ ].*: \d+\/\d+$/.test(l));
    assert.equal(again.stdout.split('\n'), printed);
    shards.push(file);
  }
  const out = join(tmp, 'merged.json');
  const m = await relspec(
    'report',
    'merge',
    shards[1] as string,
    shards[0] as string,
    '--json',
    out,
  );
  assert.is(m.status, 0, m.stdout + m.stderr);
  assert.ok(m.stdout.includes('merged from 2 shard(s)'), m.stdout);
  assert.ok(m.stdout.includes('conforms at level exact'), m.stdout);
  const merged = JSON.parse(readFileSync(out, 'utf8')) as RunDocument;
  const unsharded = JSON.parse(readFileSync(whole, 'utf8')) as RunDocument;
  assert.ok(validate(merged), ajv.errorsText(validate.errors));
  const counts = (d: RunDocument) => ({
    phases: d.phases.map((p) => [p.name, p.checked, p.failures]),
    ids: d.ids.map((i) => [i.id, i.reached, i.failed, i.advised]),
  });
  assert.equal(counts(merged), counts(unsharded));
  assert.ok((merged.phases[0]?.checked ?? 0) > 0);
});

test('report merge exits with the merged verdict; bad input exits 2 and writes nothing', async () => {
  const write = (name: string, doc: unknown) => {
    const path = join(tmp, name);
    writeFileSync(path, JSON.stringify(doc));
    return path;
  };
  const a = write('a.json', shardDoc(1, 2));
  const b = write('b.json', shardDoc(2, 2, { exitCode: 1 }));
  const failing = await relspec('report', 'merge', a, b);
  assert.is(failing.status, 1, failing.stderr);
  const out = join(tmp, 'never.json');
  const missing = await relspec('report', 'merge', a, '--json', out);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, 'relspec report merge: incomplete run: shard(s) 2/2 missing');
  assert.not.ok(missing.stderr.includes('    at '), 'a stack trace for a user mistake');
  assert.not.ok(existsSync(out));
  const broken = write('broken.json', { ...shardDoc(2, 2), seed: 'seven' });
  const bad = await relspec('report', 'merge', a, broken, '--json', out);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, 'broken.json');
  assert.match(bad.stderr, 'seed');
  assert.not.ok(existsSync(out));
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
