import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LARGE, scenarioArb } from '../arbitraries/scenario.ts';
import { assertConforms, Coverage, forScenarios, runScenario } from './support.ts';

// The reference, driven by the simulated agent loop through random watcher
// worlds obeying A1-A4, consumer schedules, crashes (between turns, before
// and after a hook, inside the write, after the commit), restarts with
// fresh snapshots, and the switch to dying, keeps every clause.

const coverage = new Coverage();

test('G1-G9: the reference keeps every clause under A1-A4, crashes and dying included', () => {
  forScenarios(scenarioArb(), 500, (scenario) => {
    const { result } = runScenario(scenario);
    coverage.add(result.situations);
    assert.equal(result.outcome, { _tag: 'Done' }, 'the simulation ran to its end');
    assertConforms(result.trace);
  });
});

test('G1-G9: the same with many units (20 and more present)', () => {
  forScenarios(scenarioArb(LARGE), 40, (scenario) => {
    const { result } = runScenario(scenario);
    coverage.add(result.situations);
    assert.equal(result.outcome, { _tag: 'Done' });
    assertConforms(result.trace);
  });
});

test('G7b: a relation that dies ends with its directory removed', () => {
  let died = 0;
  forScenarios(scenarioArb(), 200, (scenario) => {
    const { result } = runScenario(scenario);
    const dying = result.trace.some((e) => e.type === 'dying');
    if (dying) died++;
    assert.is(result.directoryExists, !dying, 'the directory exists exactly while not dying');
    const last = result.trace[result.trace.length - 1];
    assert.is(last?.type, 'idle', 'every lifetime ends idle');
  });
  assert.ok(died > 0, 'some relations died');
});

test('coverage: the reference runs reached their situations', () => {
  console.log(coverage.table('situations reached by the reference runs'));
  assert.ok(coverage.count('idle (live)') > 0);
});

test.run();
