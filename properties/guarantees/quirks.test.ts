import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClauseId } from '../../spec/model/clauses.ts';
import { checkTrace } from '../../spec/model/monitor.ts';
import { formatTrace } from '../../spec/model/pretty.ts';
import { change as mkChange } from '../../src/model/change.ts';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { relationId } from '../../src/model/relationId.ts';
import { unitName } from '../../src/model/unitName.ts';
import { breakingScenarioArb, type Scenario } from '../arbitraries/scenario.ts';
import type { Op } from '../arbitraries/schedule.ts';
import { params } from '../config.ts';
import { type Outcome, simulate } from '../sim/agent.ts';
import { memoryPersistence } from '../sim/persistence.ts';

// behaviour.md's "Known quirks", as named example cases. Each is the shrunk
// counterexample fast-check found for "with this assumption broken alone,
// the reference still keeps every guarantee" (the first test of each pair
// re-runs that search and checks it still ends in the same kind of case).

const R = relationId(9007199254740991);
const v = changeVersion;
const u = unitName;

const scenario = (
  deltas: [Record<string, number>, string[]][],
  schedule: Op[] = [],
  initial: Record<string, number> = {},
  snapshot: Record<string, number> = {},
  extra: Partial<Scenario['world']> = {},
  dies = false,
): Scenario => ({
  initial: {
    relationId: R,
    members: new Map(Object.entries(initial).map(([k, n]) => [u(k), v(n)])),
    changedPending: '',
  },
  world: {
    initial: new Map(Object.entries(snapshot).map(([k, n]) => [u(k), v(n)])),
    deltas: deltas.map(([changed, departed]) =>
      mkChange(
        Object.entries(changed).map(([k, n]) => [u(k), v(n)] as const),
        departed.map(u),
      ),
    ),
    snapshotDeparts: [],
    breakAt: deltas.length - 1,
    ...extra,
  },
  schedule,
  dies,
});

interface Expectation {
  readonly outcome: Outcome;
  /** The monitor's first violation with assumptions checked, and without. */
  readonly withAssumptions: ClauseId | 'conforms';
  readonly without: ClauseId | 'conforms';
  readonly steps?: string;
}

const behaves = (s: Scenario, e: Expectation, memory = true) => {
  const r = simulate(s, memory ? { persistence: memoryPersistence } : {});
  const clause = (assumptions: boolean) => {
    const verdict = checkTrace(r.trace, { assumptions });
    return verdict.ok ? 'conforms' : verdict.violation.clause;
  };
  const shown = `\n${formatTrace(r.trace)}`;
  assert.equal(r.outcome, e.outcome, shown);
  assert.is(clause(true), e.withAssumptions, shown);
  assert.is(clause(false), e.without, shown);
  if (e.steps !== undefined) assert.is(formatTrace(r.trace), e.steps);
};

/** The shrunk counterexample of "breaking `a` alone keeps the guarantees" still has this shape. */
const shrinksTo = (a: 'A1' | 'A2' | 'A3' | 'A4', kind: (o: Outcome, clause: string) => boolean) => {
  const details = fc.check(
    fc.property(breakingScenarioArb(a), (s) => {
      const r = simulate(s, { persistence: memoryPersistence });
      return r.outcome._tag === 'Done' && checkTrace(r.trace, { assumptions: false }).ok;
    }),
    params(300),
  );
  assert.ok(details.failed, `breaking ${a} alone should cost something`);
  const [s] = details.counterexample as [Scenario];
  const r = simulate(s, { persistence: memoryPersistence });
  const verdict = checkTrace(r.trace, { assumptions: false });
  const clause = verdict.ok ? 'conforms' : verdict.violation.clause;
  assert.ok(
    kind(r.outcome, clause),
    `${JSON.stringify(r.outcome)} ${clause}\n${formatTrace(r.trace)}`,
  );
};

test('A1: shrinking a first change with departures ends in an update error', () => {
  shrinksTo('A1', (o) => o._tag === 'UpdateFailed');
});

test('A1 example "snapshot-departs": update refuses the first change that departs a unit', () => {
  behaves(
    scenario(
      [],
      [],
      {},
      { 'wordpress/0': 5 },
      { snapshotDeparts: [u('wordpress/0')], breakAt: -1 },
    ),
    {
      outcome: {
        _tag: 'UpdateFailed',
        message: 'hook source watcher sent bad event: first change departs "wordpress/0"',
      },
      withAssumptions: 'A1',
      without: 'conforms',
      steps: [
        '   0  start   relation 9007199254740991 {}',
        '   1  change  wordpress/0 v5; departed wordpress/0',
      ].join('\n'),
    },
  );
});

test('A2: shrinking a departure of a unit never seen ends in an update error', () => {
  shrinksTo('A2', (o) => o._tag === 'UpdateFailed');
});

test('A2 example "unknown-departure": Go crashed (nil dereference); the reference returns a clear error', () => {
  behaves(scenario([[{}, ['stranger/0']]]), {
    outcome: {
      _tag: 'UpdateFailed',
      message: 'hook source watcher sent bad event: departure of unknown unit "stranger/0"',
    },
    withAssumptions: 'A2',
    without: 'conforms',
  });
});

test('A3: shrinking a returning unit ends in a relation-changed Validate refuses', () => {
  shrinksTo('A3', (o, clause) => o._tag === 'Refused' && clause === 'G3a');
});

test('A3 example "return-after-unjoined-departure": a new version queues a relation-changed that Validate refuses', () => {
  behaves(
    scenario([
      [{ 'wordpress/0': 1 }, []],
      [{}, ['wordpress/0']],
      [{ 'wordpress/0': 2 }, []],
    ]),
    {
      outcome: {
        _tag: 'Refused',
        message: 'inappropriate "relation-changed" for "wordpress/0": unit has not joined',
      },
      withAssumptions: 'A3',
      without: 'G3a',
      steps: [
        '   0  start   relation 9007199254740991 {}',
        '   1  change  (nothing)',
        '   2  change  wordpress/0 v1',
        '   3  change  departed wordpress/0',
        '   4  change  wordpress/0 v2',
        '   5  hook    relation-changed wordpress/0 v2',
      ].join('\n'),
    },
  );
});

test('A3 example "return-same-version" (A4 broken too): the unit never joins', () => {
  behaves(
    scenario([
      [{ 'wordpress/0': 1 }, []],
      [{}, ['wordpress/0']],
      [{ 'wordpress/0': 1 }, []],
    ]),
    { outcome: { _tag: 'Done' }, withAssumptions: 'A3', without: 'G7a' },
  );
});

test('A4: shrinking a repeated version ends with the local view behind the watcher', () => {
  shrinksTo('A4', (o, clause) => o._tag === 'Done' && ['G7a', 'G8b', 'G5b'].includes(clause));
});

test('A4 example "repeat-drops-pending-changed": the same version again removes the undelivered relation-changed', () => {
  behaves(
    scenario(
      [
        [{ 'wordpress/0': 1 }, []],
        [{ 'wordpress/0': 2 }, []],
        [{ 'wordpress/0': 2 }, []],
      ],
      [
        { op: 'deliver', count: 2 },
        { op: 'run', count: 2 },
      ],
    ),
    {
      outcome: { _tag: 'Done' },
      withAssumptions: 'A4',
      without: 'G7a',
      steps: [
        '   0  start   relation 9007199254740991 {}',
        '   1  change  (nothing)',
        '   2  change  wordpress/0 v1',
        '   3  hook    relation-joined wordpress/0 v1',
        '   4  commit  relation-joined wordpress/0 v1',
        '   5  hook    relation-changed wordpress/0 v1',
        '   6  commit  relation-changed wordpress/0 v1',
        '   7  change  wordpress/0 v2',
        '   8  change  wordpress/0 v2',
        '   9  idle',
      ].join('\n'),
    },
  );
});

test('known gap "stray-temp-file": a crash inside a write leaves <unit>.preparing, and relation-broken cannot remove the directory', () => {
  behaves(
    scenario(
      [
        [{ 'mysql/0': 1 }, []],
        [{}, ['mysql/0']],
      ],
      [
        { op: 'deliver', count: 2 },
        // the joined hook's write dies after creating mysql-0.preparing;
        // mysql/0 leaves while the agent is down, so nothing rewrites it
        { op: 'crash', point: { at: 'inWrite', call: 1 }, missed: 1 },
        { op: 'deliver', count: 1 },
        { op: 'dying' },
      ],
      {},
      {},
      { breakAt: -1 },
    ),
    {
      outcome: {
        _tag: 'Broken',
        message:
          'failed to write "relation-broken" hook info for "" on state directory: remove /agent/relations/9007199254740991: directory not empty',
      },
      withAssumptions: 'conforms',
      without: 'conforms',
    },
    false,
  );
});

test.run();
