import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClauseId } from '../../spec/model/clauses.ts';
import { scenarioArb } from '../arbitraries/scenario.ts';
import {
  brokenBeforeDepartures,
  departedFirst,
  droppedChanged,
  joinAfterDeparture,
  type Mutant,
  nameOrder,
  noChangedAfterJoined,
  repeatedChanged,
  staleVersion,
} from './mutants/index.ts';
import { Coverage, forScenarios, runScenario } from './support.ts';

// The monitor catches broken schedulers: each deliberately wrong variant of
// the live (or dying) source is run through the same simulated agent, and
// the monitor must reject it, with its clause. A variant's fault can also
// surface first as another clause when something else happens to come
// first; those are listed per variant and explained.

const RUNS = 200;

const rejects = (m: Mutant, alsoAllowed: readonly ClauseId[]) => {
  const seen = new Coverage();
  forScenarios(scenarioArb(), RUNS, (scenario) => {
    const { verdict } = runScenario(scenario, { ops: m.ops });
    const clause = verdict.ok ? 'conforms' : verdict.violation.clause;
    seen.add([clause]);
    if (!verdict.ok && verdict.violation.clause !== m.clause) {
      assert.ok(
        alsoAllowed.includes(verdict.violation.clause),
        `${m.ops.name}: unexpected ${verdict.violation.clause}: ${verdict.violation.explanation}`,
      );
    }
  });
  console.log(seen.table(`${m.ops.name} (${m.what})`));
  assert.ok(seen.count(m.clause) > 0, `${m.ops.name} was never rejected with ${m.clause}`);
};

test('G2: rejects the variant with no relation-changed after relation-joined', () => {
  rejects(noChangedAfterJoined, []);
});

test('G8b: rejects the variant that serves departures before earlier work', () => {
  rejects(departedFirst, []);
});

test('G5a: rejects the variant that delivers stale versions', () => {
  rejects(staleVersion, []);
});

test('G8b: rejects the variant that lost the queue order (serves in name order)', () => {
  rejects(nameOrder, []);
});

test('G4b: rejects the variant that breaks the relation before the departures', () => {
  rejects(brokenBeforeDepartures, []);
});

test('G7a: rejects the variant that drops a relation-changed', () => {
  // The dropped work is also overtaken by later work when there is any (G8b).
  rejects(droppedChanged, ['G8b']);
});

test('G6: rejects the variant that joins a unit which departed before its join', () => {
  rejects(joinAfterDeparture, []);
});

test('G5b: rejects the variant that repeats relation-changed with the version just delivered', () => {
  // Keeping the stale queue slot also lets a later departure of that unit jump ahead (G8b).
  rejects(repeatedChanged, ['G8b']);
});

test.run();
