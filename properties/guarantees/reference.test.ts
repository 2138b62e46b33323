import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LARGE, type Scenario, scenarioArb } from '../arbitraries/scenario.ts';
import type { SimResult } from '../sim/agent.ts';
import { memoryPersistence } from '../sim/persistence.ts';
import {
  assertConforms,
  assertRanToItsEnd,
  Coverage,
  forScenarios,
  runScenario,
  strayTempBlocksBroken,
} from './support.ts';

// The reference, driven by the simulated agent loop through random watcher
// worlds obeying A1-A4, consumer schedules, crashes (between turns, before
// and after a hook, inside the write, after the commit), restarts with
// fresh snapshots, and the switch to dying, keeps every clause.

const coverage = new Coverage();

const ranToItsEnd = (result: SimResult) => {
  assertRanToItsEnd(result);
  if (strayTempBlocksBroken(result)) {
    coverage.add(['stray temp file blocks relation-broken (known gap)']);
  }
};

const conformsIn = (scenario: Scenario, memory = false) => {
  const { result } = runScenario(scenario, memory ? { persistence: memoryPersistence } : {});
  coverage.add(result.situations);
  ranToItsEnd(result);
  assertConforms(result.trace);
};

test('G1-G9: the reference keeps every clause under A1-A4, crashes and dying included (StateDir on memfs)', () => {
  forScenarios(scenarioArb(), 400, (scenario) => conformsIn(scenario));
});

test('G1-G9: the same with many units (20 and more present)', () => {
  forScenarios(scenarioArb(LARGE), 30, (scenario) => conformsIn(scenario));
});

test('G9b: the same when a crash inside a write can also land after the rename (in-memory atomic disk)', () => {
  forScenarios(scenarioArb(), 300, (scenario) => conformsIn(scenario, true));
});

test('G7b: a relation that dies ends with its directory removed', () => {
  let died = 0;
  forScenarios(scenarioArb(), 200, (scenario) => {
    const { result } = runScenario(scenario, { persistence: memoryPersistence });
    const dying = result.trace.some((e) => e.type === 'dying');
    if (dying) died++;
    assert.is(result.directoryExists, !dying, 'the directory exists exactly while not dying');
    const last = result.trace[result.trace.length - 1];
    assert.is(last?.type, 'idle', 'every lifetime ends idle');
  });
  assert.ok(died > 0, 'some relations died');
});

// The situations the clauses talk about: each must happen in the runs above.
const REQUIRED = [
  'crash between turns',
  'crash before a hook ran',
  'crash after a hook ran, before its write',
  'crash inside write',
  'crash inside write (old state kept)',
  'crash inside write (new state on disk)',
  'crash after a commit, before pop',
  'crash while dying',
  'restart with a pending relation-changed',
  'rejoin attempt (joined again after a crash)',
  'world moved on while the agent was down',
  'stored member absent from the snapshot',
  'departure of a queued joined unit',
  'departure of the changed-pending unit',
  'equal-version repeat (snapshot at the stored version)',
  'pending relation-changed replaced by a newer version',
  'pending relation-changed replaced by relation-departed',
  'turn before the snapshot (nothing to run)',
  'hook offered, then left in place',
  'dying with members',
  'dying with a pending relation-changed',
  'relation-broken',
  'idle (live)',
  'empty snapshot',
  'burst of 5 changes',
  'quiet stretch of 5 hooks',
  'many units',
  'version above 2^53',
  'negative version',
];

test('coverage: every situation the clauses name was reached', () => {
  console.log(coverage.table('situations reached by the reference runs'));
  const missing = REQUIRED.filter((s) => coverage.count(s) === 0);
  assert.equal(missing, [], `never reached: ${missing.join('; ')}`);
});

test.run();
