import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClauseId } from '../../spec/model/clauses.ts';
import { checkTrace, createMonitor, type MonitorOptions } from '../../spec/model/monitor.ts';
import { formatVerdict } from '../../spec/model/report.ts';
import type { TraceEvent } from '../../spec/trace.ts';
import { change, commit, crash, dying, hook, idle, type R, ran, start } from './traces.ts';

// Hand-written traces: one that keeps every clause, and for each clause a
// trace whose first violation is that clause at that step. They pin the
// monitor's reading of spec/GUARANTEES.md.

const violates = (
  clause: ClauseId,
  step: number,
  trace: TraceEvent[],
  options: MonitorOptions = {},
) => {
  const v = checkTrace(trace, options);
  if (v.ok || v.violation.clause !== clause || v.violation.step !== step) {
    assert.unreachable(`expected ${clause} at step ${step}:\n${formatVerdict(trace, v)}`);
  }
};

const conforms = (trace: TraceEvent[], options: MonitorOptions = {}) => {
  const v = checkTrace(trace, options);
  if (!v.ok) assert.unreachable(`expected conformance:\n${formatVerdict(trace, v)}`);
};

const LIFE: TraceEvent[] = [
  start({ 'a/0': 1, 'b/0': 2 }, 'a/0'),
  change({ 'a/0': 2, 'b/0': 2, 'c/0': 5 }),
  ...ran('changed', 'a/0', 2),
  ...ran('joined', 'c/0', 5),
  change({ 'b/0': 3 }, ['c/0']),
  ...ran('changed', 'c/0', 5),
  ...ran('changed', 'b/0', 3),
  ...ran('departed', 'c/0', 5),
  idle,
  change({ 'a/0': 3 }),
  hook('changed', 'a/0', 3),
  crash,
  start({ 'a/0': 2, 'b/0': 3 }),
  change({ 'a/0': 3 }),
  ...ran('departed', 'b/0', 3),
  ...ran('changed', 'a/0', 3),
  idle,
  dying,
  ...ran('departed', 'a/0', 3),
  ...ran('broken'),
  idle,
];

test('a full lifetime (joins, a departure before and after the owed changed, a crash, dying) conforms', () => {
  conforms(LIFE);
});

test('the incremental monitor agrees with checkTrace and counts events', () => {
  const m = createMonitor();
  for (const e of LIFE) assert.is(m.step(e), null);
  assert.is(m.steps(), LIFE.length);
});

test('T1: a trace begins with start, and start follows only a crash', () => {
  violates('T1', 0, [change({ 'a/0': 1 })]);
  violates('T1', 1, [start(), start()]);
  violates('T1', 2, [start(), crash, change()]);
});

test('T2: every start reads the same relation', () => {
  violates('T2', 2, [start(), crash, start({}, '', 8 as typeof R)]);
});

test('T3: no change after dying', () => {
  violates('T3', 3, [start(), change(), dying, change()]);
  violates('T3', 2, [start(), dying, dying]);
});

test('A1: the first change of a run departs nobody', () => {
  violates('A1', 1, [start({ 'a/0': 1 }), change({}, ['a/0'])]);
  // also after a restart
  violates('A1', 4, [start(), change({ 'a/0': 1 }), crash, start(), change({}, ['a/0'])]);
});

test('A2: a departure names a present unit, once', () => {
  violates('A2', 2, [start(), change({ 'a/0': 1 }), change({}, ['b/0'])]);
  violates('A2', 2, [start(), change({ 'a/0': 1 }), change({}, ['a/0', 'a/0'])]);
});

test('A3: a departed unit, or one a snapshot left out, never comes back', () => {
  violates('A3', 3, [start(), change({ 'a/0': 1 }), change({}, ['a/0']), change({ 'a/0': 2 })]);
  violates('A3', 5, [
    start(),
    change({ 'a/0': 1 }),
    crash,
    start(),
    change({}),
    change({ 'a/0': 2 }),
  ]);
  // a stored member the first snapshot leaves out has departed
  violates('A3', 2, [start({ 'a/0': 1 }), change({}), change({ 'a/0': 2 })]);
});

test('A4: versions grow within a run, and a snapshot does not go below what was seen or stored', () => {
  violates('A4', 2, [start(), change({ 'a/0': 1 }), change({ 'a/0': 1 })]);
  violates('A4', 2, [start(), change({ 'a/0': 3 }), change({ 'a/0': 2 })]);
  violates('A4', 1, [start({ 'a/0': 5 }), change({ 'a/0': 4 })]);
  // A snapshot may repeat the current version.
  conforms([start({ 'a/0': 5 }), change({ 'a/0': 5 }), idle]);
});

test('assumptions off: the same changes are taken as they come', () => {
  conforms([start(), change({ 'a/0': 1 }), change({ 'a/0': 1 })], { assumptions: false });
});

test('G1: every hook carries the relation id', () => {
  violates('G1', 2, [start(), change({ 'a/0': 1 }), hook('joined', 'a/0', 1, 8 as typeof R)]);
});

test('G2: relation-joined is followed by relation-changed for that unit, across departures and restarts', () => {
  violates('G2', 4, [
    start(),
    change({ 'a/0': 1, 'b/0': 1 }),
    ...ran('joined', 'a/0', 1),
    hook('joined', 'b/0', 1),
  ]);
  // after a restart, even though the unit has left
  violates('G2', 2, [start({ 'a/0': 1 }, 'a/0'), change({}), hook('departed', 'a/0', 1)]);
  conforms([
    start({ 'a/0': 1 }, 'a/0'),
    change({}),
    ...ran('changed', 'a/0', 1),
    ...ran('departed', 'a/0', 1),
    idle,
  ]);
  // idle while still owing it
  violates('G2', 2, [start({ 'a/0': 1 }, 'a/0'), change({ 'a/0': 1 }), idle]);
});

test('G3a, G3b: changed and departed only for members, joined only for non-members', () => {
  violates('G3a', 2, [start(), change({ 'a/0': 1 }), hook('changed', 'a/0', 1)]);
  violates('G3b', 2, [start({ 'a/0': 1 }), change({ 'a/0': 2 }), hook('joined', 'a/0', 2)]);
});

test('G3c: departed only after leaving the watcher view, changed only while in it', () => {
  violates('G3c', 2, [start({ 'a/0': 1 }), change({ 'a/0': 1 }), hook('departed', 'a/0', 1)]);
  violates('G3c', 3, [
    start({ 'a/0': 1 }),
    change({ 'a/0': 2 }),
    change({}, ['a/0']),
    hook('changed', 'a/0', 2),
  ]);
});

test('G4a, G4b, G4c: broken only while dying, with no members, and nothing after it', () => {
  violates('G4c', 2, [start(), change(), hook('broken')]);
  violates('G4b', 2, [start({ 'a/0': 1 }), dying, hook('broken')]);
  violates('G4a', 4, [start(), dying, ...ran('broken'), hook('broken')]);
});

test('G5a: hooks carry the latest version known (live) or stored (dying)', () => {
  violates('G5a', 3, [
    start(),
    change({ 'a/0': 1 }),
    change({ 'a/0': 2 }),
    hook('joined', 'a/0', 1),
  ]);
  violates('G5a', 2, [start({ 'a/0': 1 }), dying, hook('departed', 'a/0', 2)]);
});

test('G5b: no relation-changed repeats the version last delivered (except the one owed after joined)', () => {
  violates('G5b', 2, [start({ 'a/0': 1 }), change({ 'a/0': 1 }), hook('changed', 'a/0', 1)]);
  conforms([
    start(),
    change({ 'a/0': 1 }),
    ...ran('joined', 'a/0', 1),
    ...ran('changed', 'a/0', 1),
    idle,
  ]);
});

test('G6: a unit that departed before its join gets no join', () => {
  violates('G6', 3, [start(), change({ 'a/0': 1 }), change({}, ['a/0']), hook('joined', 'a/0', 1)]);
});

test('G7a: idle means the members equal the watcher view', () => {
  violates('G7a', 2, [start(), change({ 'a/0': 1 }), idle]);
  violates('G7a', 2, [start({ 'a/0': 1 }), change({ 'a/0': 2 }), idle]);
});

test('G7b: idle after dying means the relation is broken and committed', () => {
  violates('G7b', 2, [start(), dying, idle]);
});

test('G8a: no hook before the run has its first change', () => {
  violates('G8a', 1, [start({ 'a/0': 1 }, 'a/0'), hook('changed', 'a/0', 1)]);
});

test('G8b: units are served in the order their pending work began; replaced work keeps its place', () => {
  // b/0's change came before a/0's join: b/0 first.
  violates('G8b', 3, [
    start({ 'b/0': 1 }),
    change({ 'b/0': 2 }),
    change({ 'a/0': 1 }),
    hook('joined', 'a/0', 1),
  ]);
  // a/0's changed, replaced by its departure, keeps its place ahead of b/0.
  conforms([
    start({ 'a/0': 1, 'b/0': 1 }),
    change({ 'a/0': 1, 'b/0': 1 }),
    change({ 'a/0': 2 }),
    change({ 'b/0': 2 }),
    change({}, ['a/0']),
    ...ran('departed', 'a/0', 2),
    ...ran('changed', 'b/0', 2),
    idle,
  ]);
  // within one change: changed units in name order.
  violates('G8b', 2, [start(), change({ 'a/0': 1, 'b/0': 1 }), hook('joined', 'b/0', 1)]);
});

test('G8c: dying serves the owed changed, then departures in name order, then broken', () => {
  violates('G8c', 2, [start({ 'a/0': 1, 'b/0': 1 }), dying, hook('departed', 'b/0', 1)]);
  violates('G8c', 2, [start({ 'a/0': 1 }), dying, hook('changed', 'a/0', 1)]);
});

test('G9a: each hook is committed before the next hook, dying or idle', () => {
  violates('G9a', 5, [
    start(),
    change({ 'a/0': 1, 'b/0': 1 }),
    ...ran('joined', 'a/0', 1),
    hook('changed', 'a/0', 1),
    hook('joined', 'b/0', 1),
  ]);
  violates('G9a', 3, [
    start(),
    change({ 'a/0': 1 }),
    hook('joined', 'a/0', 1),
    commit('joined', 'a/0', 2),
  ]);
  violates('G9a', 3, [start(), change({ 'a/0': 1 }), hook('joined', 'a/0', 1), idle]);
});

test('G9b: the state read back is the committed one, or has the interrupted write applied', () => {
  const before = [
    start(),
    change({ 'a/0': 1 }),
    ...ran('joined', 'a/0', 1),
    hook('changed', 'a/0', 1),
    crash,
  ];
  conforms([...before, start({ 'a/0': 1 }, 'a/0')]);
  conforms([...before, start({ 'a/0': 1 })]);
  violates('G9b', 6, [...before, start({})]);
  violates('G9b', 0, [start({ 'a/0': 1 }, 'b/0')]);
});

test('G9c: a hook Validate refuses is reported as the clause it breaks', () => {
  violates('G2', 4, [
    start(),
    change({ 'a/0': 1, 'b/0': 1 }),
    ...ran('joined', 'a/0', 1),
    hook('departed', 'a/0', 1),
  ]);
});

test.run();
