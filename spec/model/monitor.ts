import type { RelationUnitsChange } from '../../src/model/change.ts';
import type { ChangeVersion } from '../../src/model/changeVersion.ts';
import { type HookInfo, hookEquals } from '../../src/model/hook.ts';
import type { RelationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { compareUnits, type UnitName } from '../../src/model/unitName.ts';
import type { TraceEvent } from '../trace.ts';
import type { ClauseId } from './clauses.ts';
import { describeHook } from './pretty.ts';
import { refusal } from './validity.ts';

// The guarantee monitor: an independent reading of spec/GUARANTEES.md. It
// never looks at how the reference schedules hooks (nothing from
// src/schedule); it keeps its own picture of the watcher view, the local
// state and the pending work, and checks every event against the clauses.
// Every event costs O(size of the event) map operations, except a snapshot
// and a start, which also visit the units they replace, and a dying switch,
// which sorts the members once. What it knows of one unit is one record, so
// an event looks each unit it names up once.

/** The first clause a trace breaks: its id, the event index, and one line saying how. */
export interface Violation {
  readonly clause: ClauseId;
  /** Index of the offending event in the trace (0-based). */
  readonly step: number;
  readonly explanation: string;
}

export type Verdict =
  | { readonly ok: true; readonly steps: number }
  | { readonly ok: false; readonly violation: Violation };

export interface MonitorOptions {
  /**
   * Check the watcher assumptions A1-A4 (default true). Turned off, the
   * monitor takes the changes as they come and reports only what the agent
   * did wrong, which shows which guarantee a broken assumption costs.
   */
  readonly assumptions?: boolean;
}

/** An incremental monitor: feed events one by one (e.g. from a JSON Lines stream). */
export interface Monitor {
  /** Check one event; returns the violation it causes, if any. After a violation, stop feeding. */
  readonly step: (event: TraceEvent) => Violation | null;
  /** Number of events accepted so far. */
  readonly steps: () => number;
}

interface Local {
  members: Map<UnitName, ChangeVersion> | null;
  changedPending: UnitName | '';
}

const NONE: readonly never[] = [];

/** What the monitor knows of one unit. */
interface Unit {
  readonly name: UnitName;
  /** Its version in the watcher's view, if it is in the view. */
  view: ChangeVersion | undefined;
  /** Where it is in `inView`, or -1. */
  viewAt: number;
  /** The version last reported for it, in the run `reportedIn`. */
  reported: ChangeVersion | undefined;
  reportedIn: number;
  /** The highest version ever reported or stored for it. */
  highest: ChangeVersion | undefined;
  /** It has left (departed, or left out of a snapshot). */
  gone: boolean;
  /** The key of when its pending work began, in the run `owingIn`. */
  owing: number;
  owingIn: number;
}

const copyState = (s: State): Local => ({
  members: s.members === null ? null : new Map(s.members),
  changedPending: s.changedPending,
});

/** StateDir.write's effect on a state (behaviour.md, "Ensure, Remove, Write"). */
const apply = (l: Local, h: HookInfo): void => {
  if (h.kind === 'relation-broken') {
    l.members = null;
    l.changedPending = '';
    return;
  }
  if (l.members === null) return;
  if (h.kind === 'relation-departed') {
    l.members.delete(h.remoteUnit);
    return;
  }
  l.members.set(h.remoteUnit, h.changeVersion);
  l.changedPending = h.kind === 'relation-joined' ? h.remoteUnit : '';
};

const sameState = (a: Local, b: State): boolean => {
  if (b.members === null || a.members === null) {
    // A removed directory reads back as an empty state.
    const empty = (m: ReadonlyMap<UnitName, ChangeVersion> | null) => m === null || m.size === 0;
    return empty(a.members) && empty(b.members) && b.changedPending === '';
  }
  if (a.changedPending !== b.changedPending || a.members.size !== b.members.size) return false;
  for (const [u, v] of b.members) if (a.members.get(u) !== v) return false;
  return true;
};

const describeState = (s: State | Local): string => {
  if (s.members === null) return 'broken';
  const units = [...s.members]
    .sort(([a], [b]) => compareUnits(a, b))
    .map(([u, v]) => `${u} v${v}${u === s.changedPending ? '*' : ''}`);
  return `{${units.join(', ')}}`;
};

export const createMonitor = (options: MonitorOptions = {}): Monitor => {
  const assumptions = options.assumptions ?? true;

  let index = -1;
  let accepted = 0;
  let relationId: RelationId | null = null;
  let expectStart = true;
  let crashed = false;

  // The local state (hooks delivered) and the committed one (hooks persisted).
  let local: Local = { members: new Map(), changedPending: '' };
  let committed: Local = { members: new Map(), changedPending: '' };
  let uncommitted: HookInfo | null = null;

  // The watcher, per unit (see Unit): its view, what was reported in this
  // run, the highest version ever reported or stored, and whether it has
  // left. Facts of one run carry the run's number and lapse with it.
  const units = new Map<UnitName, Unit>();
  let inView: Unit[] = [];
  let run = 0;

  let sawChange = false;
  let dying = false;

  // Pending work (live): a unit owes work while `owing` holds the key of
  // when it began (`owingCount` of them). `queueUnits` and `queueKeys` hold
  // (unit, key) in key order from `head` on; entries whose key no longer
  // matches the unit's are stale and skipped.
  let owingCount = 0;
  let queueUnits: Unit[] = [];
  let queueKeys: number[] = [];
  let head = 0;
  let nextKey = 0;

  // Dying: the members in name order at the switch, and how many departed.
  let dyingOrder: UnitName[] = [];
  let dyingAt = 0;

  const fail = (clause: ClauseId, explanation: string): Violation => ({
    clause,
    step: index,
    explanation,
  });

  // Most events name one unit, which the next step looks up again.
  let last: Unit | undefined;
  /** The unit's record, made when it is first met (all its facts unknown). */
  const unitOf = (name: UnitName): Unit => {
    if (last !== undefined && last.name === name) return last;
    let r = units.get(name);
    if (r === undefined) {
      r = {
        name,
        view: undefined,
        viewAt: -1,
        reported: undefined,
        reportedIn: -1,
        highest: undefined,
        gone: false,
        owing: -1,
        owingIn: -1,
      };
      units.set(name, r);
    }
    last = r;
    return r;
  };

  const reportedOf = (r: Unit): ChangeVersion | undefined =>
    r.reportedIn === run ? r.reported : undefined;
  const owingOf = (r: Unit): number | undefined => (r.owingIn === run ? r.owing : undefined);

  const setView = (r: Unit, v: ChangeVersion) => {
    if (r.viewAt < 0) {
      r.viewAt = inView.length;
      inView.push(r);
    }
    r.view = v;
  };
  const dropView = (r: Unit) => {
    if (r.viewAt < 0) return;
    const last = inView.pop() as Unit;
    if (last !== r) {
      inView[r.viewAt] = last;
      last.viewAt = r.viewAt;
    }
    r.view = undefined;
    r.viewAt = -1;
  };

  const noteHighest = (r: Unit, v: ChangeVersion) => {
    if (r.highest === undefined || v > r.highest) r.highest = v;
  };

  const owes = (r: Unit): boolean => {
    const members = local.members;
    if (members === null) return false;
    const seen = r.view;
    if (seen === undefined) return members.has(r.name);
    return members.get(r.name) !== seen;
  };

  /** Recompute the unit's pending work; new work begins with `key`. */
  const touch = (r: Unit, key: number) => {
    const now = owes(r);
    const had = owingOf(r) !== undefined;
    if (now && !had) {
      r.owing = key;
      r.owingIn = run;
      owingCount++;
      queueUnits.push(r);
      queueKeys.push(key);
    } else if (!now && had) {
      r.owingIn = -1;
      owingCount--;
    }
  };

  /** The unit whose pending work began first (its key is its `owing`). */
  const oldest = (): Unit | undefined => {
    while (head < queueUnits.length) {
      const r = queueUnits[head] as Unit;
      if (owingOf(r) === queueKeys[head]) {
        // Drop the skipped prefix now and then, so the queue stays as small as the work.
        if (head > 1024 && head * 2 > queueUnits.length) {
          queueUnits = queueUnits.slice(head);
          queueKeys = queueKeys.slice(head);
          head = 0;
        }
        return r;
      }
      head++;
    }
    return undefined;
  };

  const onStart = (state: State): Violation | null => {
    if (!expectStart) return fail('T1', 'start without a crash before it');
    if (relationId !== null && state.relationId !== relationId) {
      return fail(
        'T2',
        `start reads relation ${state.relationId}, the trace is about ${relationId}`,
      );
    }
    if (state.members !== null && state.changedPending !== '') {
      if (!state.members.has(state.changedPending)) {
        return fail(
          'G9b',
          `state read back has changed-pending ${state.changedPending}, not a member`,
        );
      }
    }
    if (crashed) {
      const after: Local = {
        members: committed.members === null ? null : new Map(committed.members),
        changedPending: committed.changedPending,
      };
      if (uncommitted !== null) apply(after, uncommitted);
      if (!sameState(committed, state) && !(uncommitted !== null && sameState(after, state))) {
        const also = uncommitted === null ? '' : ` (or ${describeState(after)})`;
        return fail(
          'G9b',
          `state read back ${describeState(state)} is not the committed ${describeState(committed)}${also}`,
        );
      }
      if (committed.members !== null) committed = copyState(state);
    } else {
      relationId = state.relationId;
      committed = copyState(state);
    }
    local = {
      members: committed.members === null ? null : new Map(committed.members),
      changedPending: committed.changedPending,
    };
    for (const [u, v] of state.members ?? []) noteHighest(unitOf(u), v);
    expectStart = false;
    crashed = false;
    uncommitted = null;
    // A new run: what was reported and owed in the last one lapses.
    run++;
    sawChange = false;
    dying = false;
    owingCount = 0;
    queueUnits = [];
    queueKeys = [];
    head = 0;
    return null;
  };

  const checkAssumptions = (c: RelationUnitsChange, first: boolean): Violation | null => {
    if (first && c.departed.length > 0) {
      return fail('A1', `the run's first change departs ${c.departed.join(', ')}`);
    }
    for (const [u, v] of c.changed) {
      const r = unitOf(u);
      // A unit absent from this snapshot but present before leaves now, so
      // only the units that left earlier count as returning.
      if (r.gone) return fail('A3', `${u} departed and comes back (v${v})`);
      const inRun = reportedOf(r);
      if (!first && inRun !== undefined && v <= inRun) {
        return fail('A4', `${u} reported with v${v} after v${inRun}`);
      }
      const before = r.highest;
      if (before !== undefined && v < before) {
        return fail('A4', `${u} reported with v${v}, below v${before} seen before`);
      }
    }
    if (c.departed.length === 0) return null;
    const left = new Set<UnitName>();
    for (const u of c.departed) {
      const present = (unitOf(u).view !== undefined && !first) || c.changed.has(u);
      if (!present || left.has(u)) {
        return fail('A2', `departure of ${u}, which is not in the watcher view`);
      }
      left.add(u);
    }
    return null;
  };

  const onChange = (c: RelationUnitsChange): Violation | null => {
    if (expectStart) return fail('T1', 'change before start');
    if (dying) return fail('T3', 'change after the switch to dying');
    const first = !sawChange;
    if (assumptions) {
      const broken = checkAssumptions(c, first);
      if (broken !== null) return broken;
    }
    sawChange = true;
    if (first) {
      // A snapshot replaces the view: whoever it leaves out has left.
      for (const r of inView) {
        if (!c.changed.has(r.name)) r.gone = true;
        r.view = undefined;
        r.viewAt = -1;
      }
      inView = [];
      for (const u of local.members?.keys() ?? []) if (!c.changed.has(u)) unitOf(u).gone = true;
    }
    const changedUnits: Unit[] = [];
    for (const [u, v] of c.changed) {
      const r = unitOf(u);
      setView(r, v);
      r.reported = v;
      r.reportedIn = run;
      noteHighest(r, v);
      changedUnits.push(r);
    }
    // Work begun by one change starts in name order (G8b); most changes name one unit.
    if (changedUnits.length > 1) changedUnits.sort((a, b) => compareUnits(a.name, b.name));
    const departedUnits = c.departed.length === 0 ? NONE : c.departed.map(unitOf);
    for (const r of departedUnits) {
      dropView(r);
      r.gone = true;
    }
    if (local.members === null) return null;
    if (first) {
      const absentKey = nextKey++;
      for (const u of local.members.keys()) if (!c.changed.has(u)) touch(unitOf(u), absentKey);
    }
    for (const r of changedUnits) touch(r, nextKey++);
    for (const r of departedUnits) touch(r, nextKey++);
    return null;
  };

  const checkLiveHook = (h: HookInfo): Violation | null => {
    if (!sawChange) return fail('G8a', `${describeHook(h)} before the run's first change`);
    if (h.kind === 'relation-broken') return null;
    const u = h.remoteUnit;
    const members = local.members as Map<UnitName, ChangeVersion>;
    const owed = local.changedPending === u && h.kind === 'relation-changed';
    const r = unitOf(u);
    const inView = r.view !== undefined;
    if (h.kind === 'relation-joined' && !inView) {
      return fail('G6', `${describeHook(h)} but ${u} is not in the watcher view`);
    }
    if (h.kind === 'relation-departed' && inView) {
      return fail('G3c', `${describeHook(h)} but ${u} is still in the watcher view`);
    }
    if (h.kind === 'relation-changed' && !owed && !inView) {
      return fail('G3c', `${describeHook(h)} but ${u} has left the watcher view`);
    }
    const known = reportedOf(r) ?? members.get(u);
    if (h.changeVersion !== known) {
      return fail('G5a', `${describeHook(h)} but the latest version known is v${known}`);
    }
    if (owed) return null;
    if (h.kind === 'relation-changed' && members.get(u) === h.changeVersion) {
      return fail('G5b', `${describeHook(h)} repeats the version last delivered`);
    }
    const key = owingOf(r);
    if (key === undefined) return fail('G8b', `${describeHook(h)} but ${u} has nothing pending`);
    const first = oldest();
    if (first !== undefined && first.owing < key) {
      return fail('G8b', `${describeHook(h)} but ${first.name} has waited longer`);
    }
    return null;
  };

  const checkDyingHook = (h: HookInfo): Violation | null => {
    if (h.kind === 'relation-broken') return null;
    const u = h.remoteUnit;
    const members = local.members as Map<UnitName, ChangeVersion>;
    const owed = local.changedPending === u && h.kind === 'relation-changed';
    if (!owed && h.kind !== 'relation-departed') {
      return fail('G8c', `${describeHook(h)} while dying (only departures and broken are left)`);
    }
    if (h.changeVersion !== members.get(u)) {
      return fail('G5a', `${describeHook(h)} but the stored version is v${members.get(u)}`);
    }
    if (owed) return null;
    while (dyingAt < dyingOrder.length && !members.has(dyingOrder[dyingAt] as UnitName)) dyingAt++;
    const due = dyingOrder[dyingAt];
    if (due !== u) return fail('G8c', `${describeHook(h)} but ${due} departs first (name order)`);
    return null;
  };

  const onHook = (h: HookInfo): Violation | null => {
    if (expectStart) return fail('T1', 'hook before start');
    if (uncommitted !== null) {
      return fail(
        'G9a',
        `${describeHook(h)} runs before ${describeHook(uncommitted)} was committed`,
      );
    }
    const refused = refusal(
      {
        relationId: relationId as RelationId,
        members: local.members,
        changedPending: local.changedPending,
      },
      h,
    );
    if (refused !== null) return fail(refused.clause, `${describeHook(h)}: ${refused.reason}`);
    if (h.kind === 'relation-broken' && !dying) {
      return fail('G4c', `${describeHook(h)} while the relation is alive`);
    }
    const wrong = dying ? checkDyingHook(h) : checkLiveHook(h);
    if (wrong !== null) return wrong;
    apply(local, h);
    uncommitted = h;
    if (!dying && h.kind !== 'relation-broken') touch(unitOf(h.remoteUnit), nextKey++);
    return null;
  };

  const onCommit = (h: HookInfo): Violation | null => {
    if (expectStart) return fail('T1', 'commit before start');
    if (uncommitted === null || !hookEquals(uncommitted, h)) {
      const what = uncommitted === null ? 'no hook is uncommitted' : describeHook(uncommitted);
      return fail('G9a', `commit of ${describeHook(h)} but ${what}`);
    }
    apply(committed, h);
    uncommitted = null;
    return null;
  };

  const onDying = (): Violation | null => {
    if (expectStart) return fail('T1', 'dying before start');
    if (dying) return fail('T3', 'second switch to dying in one run');
    if (uncommitted !== null) {
      return fail('G9a', `dying while ${describeHook(uncommitted)} is uncommitted`);
    }
    dying = true;
    dyingOrder = [...(local.members?.keys() ?? [])].sort(compareUnits);
    dyingAt = 0;
    return null;
  };

  const onIdle = (): Violation | null => {
    if (expectStart) return fail('T1', 'idle before start');
    if (uncommitted !== null) {
      return fail('G9a', `idle while ${describeHook(uncommitted)} is uncommitted`);
    }
    if (dying) {
      return committed.members === null
        ? null
        : fail('G7b', `idle while dying, but the relation is not broken: ${describeState(local)}`);
    }
    if (!sawChange || local.members === null) return null;
    if (local.changedPending !== '') {
      return fail('G2', `idle, but relation-changed for ${local.changedPending} is still owed`);
    }
    if (owingCount === 0) return null;
    const r = oldest() as Unit;
    const u = r.name;
    const has = local.members.get(u);
    const sees = r.view;
    const local_ = has === undefined ? 'not a member' : `member at v${has}`;
    const watcher = sees === undefined ? 'gone' : `at v${sees}`;
    return fail('G7a', `idle, but ${u} is ${local_} while the watcher has it ${watcher}`);
  };

  const dispatch = (e: TraceEvent): Violation | null => {
    switch (e.type) {
      case 'start':
        return onStart(e.state);
      case 'change':
        return onChange(e.change);
      case 'hook':
        return onHook(e.hook);
      case 'commit':
        return onCommit(e.hook);
      case 'crash':
        if (expectStart) return fail('T1', 'crash before start');
        expectStart = true;
        crashed = true;
        return null;
      case 'dying':
        return onDying();
      case 'idle':
        return onIdle();
    }
  };

  return {
    step: (e) => {
      index++;
      const v = dispatch(e);
      if (v === null) accepted++;
      return v;
    },
    steps: () => accepted,
  };
};

/** Check a whole trace: conformance, or the first violation. */
export const checkTrace = (trace: Iterable<TraceEvent>, options: MonitorOptions = {}): Verdict => {
  const m = createMonitor(options);
  for (const e of trace) {
    const v = m.step(e);
    if (v !== null) return { ok: false, violation: v };
  }
  return { ok: true, steps: m.steps() };
};
