import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JUJU3_CLAUSES, type Juju3ClauseId } from '../../spec/juju-3/model/clauses.ts';
import { monitorJuju3 } from '../../spec/juju-3/model/monitor.ts';
import type { Snapshot, TraceEvent } from '../../spec/juju-3/trace.ts';
import { runScenario } from '../../src/juju3/conform/driver.ts';
import { sessionEndpoint } from '../../src/juju3/conform/endpoint.ts';
import { CURATED } from '../../src/juju3/fixtures/curated.ts';
import { createJuju3Session } from '../../src/juju3/protocol/ops.ts';
import { type Hook, hook, type LocalUnit, type RemoteRelation } from '../../src/juju3/types.ts';

// The monitor accepts what the reference does, and each clause of
// spec/juju-3/GUARANTEES.md has a trace that breaks exactly it.

const ALIVE: LocalUnit = { life: 'alive', leader: false, applicationLife: 'alive' };
const remote = (
  members: Record<string, bigint> = {},
  more: Partial<RemoteRelation> = {},
): RemoteRelation => ({
  life: 'alive',
  suspended: false,
  members: new Map(Object.entries(members)),
  applicationMembers: new Map(),
  ...more,
});
const snap = (
  r: RemoteRelation,
  local: LocalUnit = ALIVE,
  others: [string, RemoteRelation][] = [],
): Snapshot => ({
  local,
  relations: new Map([['db', r], ...others]),
});
const open = (peer = false, created = true, rel = 'db', relationId = 7): TraceEvent => ({
  event: 'open',
  rel,
  relationId,
  peer,
  localUnit: 'wp/0',
  remoteApp: peer ? 'wp' : 'mysql',
  created,
});
const run = (h: Hook, s: Snapshot, rel = 'db'): TraceEvent[] => [
  { event: 'hook', rel, snapshot: s, hook: h },
  { event: 'commit', rel, hook: h },
];
const joined = (u: string, v = 1n, id = 7) =>
  hook('relation-joined', id, {
    remoteUnit: u,
    remoteApplication: u.split('/')[0] ?? '',
    changeVersion: v,
  });
const changed = (u: string, v = 1n, id = 7) =>
  hook('relation-changed', id, {
    remoteUnit: u,
    remoteApplication: u.split('/')[0] ?? '',
    changeVersion: v,
  });
const departed = (u: string, v = 1n, departingUnit = u) =>
  hook('relation-departed', 7, {
    remoteUnit: u,
    remoteApplication: u.split('/')[0] ?? '',
    changeVersion: v,
    departingUnit,
  });
const broken = hook('relation-broken', 7, { remoteApplication: 'mysql' });
const one = remote({ 'mysql/0': 1n });
const joinedOne = [
  open(),
  ...run(joined('mysql/0'), snap(one)),
  ...run(changed('mysql/0'), snap(one)),
];
const dying = remote({ 'mysql/0': 1n }, { life: 'dying' });

const restoreEmpty: TraceEvent = {
  event: 'restore',
  rel: 'db',
  relationId: 7,
  peer: false,
  localUnit: 'wp/0',
  remoteApp: 'mysql',
  state: { relationId: 7, members: new Map(), applicationMembers: new Map(), changedPending: '' },
};

const BROKEN: Record<Juju3ClauseId, TraceEvent[]> = {
  JT1: [open(), ...run(joined('mysql/0'), snap(one), 'other')],
  JT2: [open(), restoreEmpty],
  J1: [open(), ...run({ ...joined('mysql/0'), remoteApplication: 'other' }, snap(one))],
  J2: [
    open(),
    ...run(joined('mysql/0'), snap(remote({ 'mysql/0': 1n, 'mysql/1': 1n }))),
    ...run(joined('mysql/1'), snap(remote({ 'mysql/0': 1n, 'mysql/1': 1n }))),
  ],
  J3a: [open(), ...run(changed('mysql/0'), snap(one))],
  J3b: [...joinedOne, ...run(joined('mysql/0'), snap(one))],
  J4a: [
    ...joinedOne,
    ...run(departed('mysql/0'), snap(dying)),
    ...run(broken, snap(dying)),
    ...run(changed('mysql/0'), snap(dying)),
  ],
  J4b: [...joinedOne, ...run(broken, snap(dying))],
  J4c: [open(), ...run(broken, snap(remote()))],
  J4d: [
    open(true),
    ...run(
      hook('relation-broken', 7, { remoteApplication: 'wp' }),
      snap(remote({}, { life: 'dying' })),
    ),
  ],
  J5: [...joinedOne, ...run(departed('mysql/0', 1n, 'wp/0'), snap(remote()))],
  J6: [open(), ...run(joined('mysql/0'), snap(remote()))],
  J7: [open(), ...run(joined('mysql/0', 5n), snap(one))],
  J8: [open(), ...run(joined('mysql/1'), snap(remote({ 'mysql/0': 1n, 'mysql/1': 1n })))],
  J9: [open(false, false), ...run(joined('mysql/0'), snap(one))],
  J10: [
    open(true),
    open(false, true, 'x', 9),
    ...run(
      hook('relation-joined', 7, {
        remoteUnit: 'wp/1',
        remoteApplication: 'wp',
        changeVersion: 1n,
      }),
      snap(remote({ 'wp/1': 1n }), ALIVE, [['x', remote({ 'mysql/0': 1n })]]),
    ),
  ],
  J11a: [
    open(),
    { event: 'hook', rel: 'db', snapshot: snap(one), hook: joined('mysql/0') },
    { event: 'idle', snapshot: snap(one) },
  ],
  J11b: [...joinedOne, { event: 'restart' }, restoreEmpty],
  J12: [open(), { event: 'idle', snapshot: snap(one) }],
};

for (const [clause, trace] of Object.entries(BROKEN)) {
  test(`the monitor reports ${clause} (${JUJU3_CLAUSES[clause as Juju3ClauseId]})`, () => {
    const v = monitorJuju3(trace);
    assert.is(v?.clause, clause, v?.message ?? 'no violation');
  });
}

test('every clause has a breaking trace here', () => {
  assert.equal(Object.keys(JUJU3_CLAUSES).sort(), Object.keys(BROKEN).sort());
});

test('the reference satisfies the monitor on every monitored curated scenario', async () => {
  for (const c of CURATED.filter((x) => x.scenario.unmonitored !== true)) {
    const r = await runScenario(
      c.scenario,
      sessionEndpoint(createJuju3Session()),
      'guarantees',
      '',
    );
    assert.is(r.failure, undefined, c.id);
    assert.is(monitorJuju3(r.trace), undefined, c.id);
    assert.ok(
      r.trace.some((e) => e.event === 'hook'),
      `${c.id}: no hook in the trace`,
    );
  }
});

test.run();
