import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { TraceEvent } from '../../spec/trace.ts';
import { change, type RelationUnitsChange } from '../../src/model/change.ts';
import type { ChangeVersion } from '../../src/model/changeVersion.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import type { State } from '../../src/model/state.ts';
import type { UnitName } from '../../src/model/unitName.ts';
import { validate } from '../../src/state/validate.ts';
import type { Scenario } from '../arbitraries/scenario.ts';
import type { CrashPoint } from '../arbitraries/schedule.ts';
import { viewAt } from '../arbitraries/world.ts';
import type { Persistence } from './persistence.ts';
import { referenceOps, type SourceOps } from './sourceOps.ts';
import { stateDirPersistence } from './stateDirPersistence.ts';

/** How a simulated lifetime ended. */
export type Outcome =
  | { readonly _tag: 'Done' }
  /** The source refused a watcher change (an assumption was broken). */
  | { readonly _tag: 'UpdateFailed'; readonly message: string }
  /** Validate refused the hook the source offered (it is the trace's last event). */
  | { readonly _tag: 'Refused'; readonly message: string }
  /** A write failed, or the source misbehaved (pop refused, no progress). */
  | { readonly _tag: 'Broken'; readonly message: string };

export interface SimResult {
  readonly trace: readonly TraceEvent[];
  readonly outcome: Outcome;
  /** Every hook offered by next(), with the persisted state it was validated against. */
  readonly offered: readonly { readonly state: State; readonly hook: HookInfo }[];
  /** Situations this lifetime reached (for generator coverage). */
  readonly situations: ReadonlySet<string>;
  /** Whether the relation directory exists at the end. */
  readonly directoryExists: boolean;
  /** Trace index of the change that breaks an assumption on purpose, if it was delivered. */
  readonly breachStep: number | null;
}

export interface SimOptions<S> {
  readonly ops?: SourceOps<S>;
  /** Default: StateDir on a memfs volume, crashes by its crash wrapper. */
  readonly persistence?: (initial: State) => Persistence;
}

// Enough turns to drain any generated scenario; a variant that never empties stops here.
const TURN_LIMIT = 20_000;

class Stop extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome._tag);
  }
}

/**
 * Run one agent lifetime: the watcher's changes go to the live source, each
 * hook the source offers is validated against the persisted state, run
 * (recorded), written, and popped; crashes and restarts follow the schedule;
 * at the end the agent drains, goes idle, and if the relation dies, switches
 * to the dying source down to relation-broken and the directory's removal.
 */
export const simulate = <S>(scenario: Scenario, options: SimOptions<S> = {}): SimResult => {
  const ops = (options.ops ?? referenceOps) as SourceOps<S>;
  const disk = (options.persistence ?? stateDirPersistence)(scenario.initial);
  const { world } = scenario;
  const trace: TraceEvent[] = [];
  const offered: { state: State; hook: HookInfo }[] = [];
  const situations = new Set<string>();
  const note = (s: string) => situations.add(s);

  let position = 0; // deltas that have happened in the world
  let firstRun = true;
  let snapshotSent = false;
  let dying = false;
  let everDying = false;
  let finished = false; // relation-broken committed: the relation is gone
  let state: State = scenario.initial;
  let source: S;
  // Per run, for coverage: the latest version seen of each unit.
  let latest = new Map<UnitName, ChangeVersion>();
  const joinedEver = new Set<UnitName>();
  let deliveriesInARow = 0;
  let breachStep: number | null = null;
  let turnsInARow = 0;

  const readBack = (): State => {
    const read = disk.read();
    if (E.isLeft(read)) throw new Stop({ _tag: 'Broken', message: read.left.message });
    return read.right;
  };

  const begin = () => {
    state = readBack();
    trace.push({ type: 'start', state });
    if (!firstRun && state.changedPending !== '') note('restart with a pending relation-changed');
    snapshotSent = false;
    latest = new Map();
    const live = ops.live(state);
    if (E.isLeft(live)) throw new Stop({ _tag: 'Broken', message: live.left.message });
    source = live.right;
    dying = false;
    if (everDying) switchToDying();
  };

  const switchToDying = () => {
    trace.push({ type: 'dying' });
    const members = state.members?.size ?? 0;
    if (members > 0) note('dying with members');
    if (state.changedPending !== '') note('dying with a pending relation-changed');
    dying = true;
    everDying = true;
    source = ops.dying(state);
  };

  const deliver = (): boolean => {
    if (dying || finished) return false;
    let c: RelationUnitsChange;
    if (!snapshotSent) {
      const view = viewAt(world, position);
      const departs = firstRun ? world.snapshotDeparts : [];
      c = change(view, departs);
      if (departs.length > 0) {
        note('assumption breach delivered');
        breachStep = trace.length;
      }
      snapshotSent = true;
      if (view.size === 0) note('empty snapshot');
      if (view.size >= 20) note('many units');
      for (const [u, v] of state.members ?? []) {
        if (view.get(u) === v) note('equal-version repeat (snapshot at the stored version)');
        if (!view.has(u)) note('stored member absent from the snapshot');
      }
    } else if (position < world.deltas.length) {
      c = world.deltas[position] as RelationUnitsChange;
      if (position === world.breakAt) {
        note('assumption breach delivered');
        breachStep = trace.length;
      }
      position++;
    } else return false;
    noteChange(c);
    trace.push({ type: 'change', change: c });
    deliveriesInARow++;
    if (deliveriesInARow === 5) note('burst of 5 changes');
    turnsInARow = 0;
    const next = ops.update(source, c);
    if (E.isLeft(next)) throw new Stop({ _tag: 'UpdateFailed', message: next.left.message });
    source = next.right;
    return true;
  };

  const noteChange = (c: RelationUnitsChange) => {
    const members = state.members ?? new Map<UnitName, ChangeVersion>();
    for (const [u, v] of c.changed) {
      const seen = latest.get(u);
      const stored = members.get(u);
      if (snapshotSent && seen !== undefined && stored !== undefined && seen !== stored) {
        note('pending relation-changed replaced by a newer version');
      }
      if (seen === v) note('equal-version repeat (same version reported again)');
      if (v > 2n ** 53n) note('version above 2^53');
      if (v < 0n) note('negative version');
      latest.set(u, v);
    }
    for (const u of c.departed) {
      const stored = members.get(u);
      if (stored === undefined && latest.has(u)) note('departure of a queued joined unit');
      if (stored !== undefined && latest.get(u) !== undefined && latest.get(u) !== stored) {
        note('pending relation-changed replaced by relation-departed');
      }
      if (u === state.changedPending) note('departure of the changed-pending unit');
    }
  };

  /** One turn of the loop; returns false when the source had nothing. */
  const turn = (crash?: CrashPoint): boolean => {
    if (finished || ops.empty(source)) return false;
    const head = ops.next(source);
    if (O.isNone(head))
      throw new Stop({ _tag: 'Broken', message: 'next() on a non-empty source gave nothing' });
    const hook = head.value;
    offered.push({ state, hook });
    const valid = validate(state, hook);
    if (E.isLeft(valid)) {
      trace.push({ type: 'hook', hook });
      throw new Stop({ _tag: 'Refused', message: valid.left.message });
    }
    if (crash?.at === 'beforeHook') return crashNow('crash before a hook ran');
    trace.push({ type: 'hook', hook });
    deliveriesInARow = 0;
    turnsInARow++;
    if (turnsInARow === 5) note('quiet stretch of 5 hooks');
    if (hook.kind === 'relation-joined') {
      if (joinedEver.has(hook.remoteUnit)) note('rejoin attempt (joined again after a crash)');
      joinedEver.add(hook.remoteUnit);
    }
    if (hook.kind === 'relation-broken') note('relation-broken');
    if (crash?.at === 'afterHook') return crashNow('crash after a hook ran, before its write');
    const written = disk.write(hook, crash?.at === 'inWrite' ? crash.call : undefined);
    if (written._tag === 'Crashed') {
      const persisted = readBack();
      const landed = persisted.members === null || !sameMembers(persisted, state);
      note(
        landed ? 'crash inside write (new state on disk)' : 'crash inside write (old state kept)',
      );
      return crashNow('crash inside write');
    }
    if (written._tag === 'Failed') throw new Stop({ _tag: 'Broken', message: written.message });
    state = written.state;
    trace.push({ type: 'commit', hook });
    if (hook.kind === 'relation-broken') finished = true;
    // A crash point past a write's last file operation strikes right after it.
    const late = crash?.at === 'afterCommit' || crash?.at === 'inWrite';
    if (late && !finished) return crashNow('crash after a commit, before pop');
    const popped = ops.pop(source);
    if (E.isLeft(popped)) throw new Stop({ _tag: 'Broken', message: popped.left.message });
    source = popped.right;
    return true;
  };

  /** next() without pop(): the offered hook must already be one Validate accepts. */
  const peek = () => {
    if (finished || ops.empty(source)) return;
    const head = ops.next(source);
    if (O.isNone(head)) return;
    offered.push({ state, hook: head.value });
    note('hook offered, then left in place');
  };

  let missedOnCrash = 0;
  const crashNow = (what: string): boolean => {
    note(what);
    if (dying) note('crash while dying');
    trace.push({ type: 'crash' });
    deliveriesInARow = 0;
    turnsInARow = 0;
    firstRun = false;
    const before = position;
    position = Math.min(world.deltas.length, position + missedOnCrash);
    if (position > before) note('world moved on while the agent was down');
    begin();
    return true;
  };

  const drain = () => {
    let turns = 0;
    while (turn()) {
      if (++turns > TURN_LIMIT)
        throw new Stop({ _tag: 'Broken', message: 'the source never empties' });
    }
  };

  let outcome: Outcome = { _tag: 'Done' };
  try {
    begin();
    for (const op of scenario.schedule) {
      if (finished) break;
      switch (op.op) {
        case 'deliver':
          for (let i = 0; i < op.count; i++) deliver();
          break;
        case 'run':
          for (let i = 0; i < op.count; i++) {
            if (!dying && !snapshotSent) note('turn before the snapshot (nothing to run)');
            turn();
          }
          break;
        case 'crash':
          missedOnCrash = op.missed;
          if (op.point.at === 'between' || !turn(op.point)) {
            crashNow('crash between turns');
          }
          break;
        case 'peek':
          peek();
          break;
        case 'dying':
          if (!dying) switchToDying();
          break;
      }
    }
    if (!finished) {
      if (!dying) {
        while (deliver()) {
          // the watcher sends everything that is left
        }
        drain();
        trace.push({ type: 'idle' });
        note('idle (live)');
      }
      if (scenario.dies || dying) {
        if (!dying) switchToDying();
        drain();
        trace.push({ type: 'idle' });
      }
    } else trace.push({ type: 'idle' });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    outcome = e.outcome;
  }
  return { trace, outcome, offered, situations, directoryExists: disk.exists(), breachStep };
};

const sameMembers = (a: State, b: State): boolean => {
  if (a.members === null || b.members === null) return a.members === b.members;
  if (a.changedPending !== b.changedPending || a.members.size !== b.members.size) return false;
  for (const [u, v] of a.members) if (b.members.get(u) !== v) return false;
  return true;
};
