import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePlan, seededPlans } from '../../src/crash/generate.ts';
import { type Continuation, monitorRuns } from '../../src/crash/monitorTrace.ts';
import { continuationHooks } from '../../src/crash/recover.ts';
import {
  encodeScenarioForTest,
  readReplayFile,
  writeReplayFile,
} from '../../src/crash/replayFile.ts';
import { coveringSample } from '../../src/crash/sample.ts';
import type { Scenario } from '../../src/crash/scenario.ts';
import { stringifyJson } from '../../src/model/json.ts';
import type { RelationId } from '../../src/model/relationId.ts';
import { emptyState, type State } from '../../src/model/state.ts';
import { commitHook } from '../../src/state/commit.ts';

// Generated crash scenarios and the guarantee monitor after a crash, without processes.

const SEED = 20150312;
const RUNS = Number(process.env.RELSPEC_RUNS ?? 200);

const scenarios = (n: number, seed = SEED) =>
  seededPlans(seed, n).map((p, i) => compilePlan(p, `scenario ${i + 1}`));

test('generated scenarios: the same seed gives the same requests', () => {
  const a = scenarios(3).map((s) => stringifyJson(encodeScenarioForTest(s)));
  const b = scenarios(3).map((s) => stringifyJson(encodeScenarioForTest(s)));
  assert.equal(a, b);
  assert.not.equal(
    a,
    scenarios(3, SEED + 1).map((s) => stringifyJson(encodeScenarioForTest(s))),
  );
});

test('generated scenarios reach every kind of request, restarts and several relations', () => {
  const seen = new Map<string, number>();
  const note = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
  for (const s of scenarios(RUNS)) {
    const opened = new Map<RelationId, number>();
    for (const step of s.steps) {
      note(step.op === 'statedir.write' ? step.hook.kind : step.op);
      if (step.op === 'statedir.open')
        opened.set(step.relation, (opened.get(step.relation) ?? 0) + 1);
    }
    if ([...opened.values()].some((n) => n > 1)) note('restart');
    if (opened.size > 1) note('several relations');
    if ([...s.views.values()].some((v) => v.kind === 'dying')) note('dying');
  }
  for (const k of [
    'statedir.open',
    'statedir.ensure',
    'relation-joined',
    'relation-changed',
    'relation-departed',
    'relation-broken',
    'restart',
    'several relations',
    'dying',
  ]) {
    assert.ok((seen.get(k) ?? 0) > RUNS / 50, `${k}: ${seen.get(k) ?? 0} of ${RUNS}`);
  }
});

/** What a correct implementation reads back and runs after a crash during request `at`. */
const honest = (s: Scenario, at: number, landed: boolean): Continuation[] => {
  const states = new Map<RelationId, State>();
  for (const [j, step] of s.steps.entries()) {
    if (j > at || (j === at && !landed)) break;
    if (step.op !== 'statedir.write') continue;
    const before = states.get(step.relation) ?? emptyState(step.relation);
    const after = commitHook(before, step.hook);
    // A removed directory reads back as an empty state.
    states.set(step.relation, after.members === null ? emptyState(step.relation) : after);
  }
  return [...s.views.keys()].map((id) => {
    const read = states.get(id) ?? emptyState(id);
    const hooks = continuationHooks(s, id, read);
    const list = hooks._tag === 'Right' ? hooks.right : [];
    return { relation: id, read, hooks: list, committed: list.length };
  });
};

test('monitor after a crash: an honest recovery conforms at every crash point, before or after', () => {
  let checked = 0;
  for (const s of scenarios(Math.min(RUNS, 60))) {
    for (let at = 0; at < s.steps.length; at += 1) {
      for (const landed of [false, true]) {
        const broken = monitorRuns(s, at, honest(s, at, landed));
        assert.is(broken, undefined, `${s.name}, crash at request ${at + 1}: ${broken}`);
        checked += 1;
      }
    }
  }
  assert.ok(checked > 100);
});

test('monitor after a crash: a state read back that lost a committed member is G9b', () => {
  const s = scenarios(40).find((x) =>
    x.steps.some(
      (st, i) =>
        i < x.steps.length - 1 && st.op === 'statedir.write' && st.hook.kind === 'relation-changed',
    ),
  );
  assert.ok(s);
  const at = s.steps.length - 1;
  const runs = honest(s, at, false).map((r) =>
    r.read.members !== null && r.read.members.size > 0
      ? {
          ...r,
          read: { ...r.read, members: new Map([...r.read.members].slice(1)) },
          hooks: [],
          committed: 0,
        }
      : r,
  );
  const broken = monitorRuns(s, at, runs) ?? '';
  assert.match(broken, /guarantee monitor, relation \d+: G9b/);
});

test('replay files: a scenario survives the round trip', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-replay-test-'));
  try {
    const [s] = scenarios(1);
    assert.ok(s);
    const file = writeReplayFile(dir, 1, {
      phase: 'process crash',
      implementation: 'impl',
      scenario: s,
      point: {
        kind: 'call',
        request: 3,
        call: 2,
        syscall: 'write',
        aim: { syscall: 'write', dir: '7', rank: 1 },
        code: null,
      },
      verdict: 'why',
    });
    const back = readReplayFile(file);
    assert.ok(back._tag === 'Right', back._tag === 'Left' ? back.left : '');
    assert.equal(encodeScenarioForTest(back.right.scenario), encodeScenarioForTest(s));
    fs.writeFileSync(file, '{"relspecCrashReplay":1,"phase":"nap"}');
    const bad = readReplayFile(file);
    assert.ok(bad._tag === 'Left');
    assert.match(bad.left, file);
    assert.match(bad.left, 'phase');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('covering sample: every kind at least once, even with fewer points than kinds', () => {
  const items = ['a1', 'a2', 'a3', 'a4', 'b1', 'c1', 'c2', 'd1'];
  const sample = coveringSample(
    items,
    (s) => s[0] as string,
    (s) => s,
    2,
    5,
  );
  assert.equal(new Set(sample.map((s) => s[0])).size, 4);
  assert.equal(
    sample,
    coveringSample(
      items,
      (s) => s[0] as string,
      (s) => s,
      2,
      5,
    ),
  );
});

test.run();
