import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { TraceEvent } from '../../spec/trace.ts';
import { change } from '../model/change.ts';
import { type ChangeVersion, changeVersion } from '../model/changeVersion.ts';
import type { HookInfo } from '../model/hook.ts';
import { type RelationId, relationId } from '../model/relationId.ts';
import { emptyState, type State } from '../model/state.ts';
import { type UnitName, unitName } from '../model/unitName.ts';
import { dyingHooks } from '../schedule/dying.ts';
import { type LiveSource, liveNext, livePop, liveSource, liveUpdate } from '../schedule/live.ts';
import { commitHook } from '../state/commit.ts';
import type { Scenario, Step, View } from './scenario.ts';

// Crash scenarios generated from a seed: what a watcher does on a few
// relations (units join, change, depart; a relation dies; the agent
// restarts), and the requests an agent running the reference scheduler
// makes on its state directory in answer. The plan is what fast-check
// generates and shrinks; any plan compiles, moves that do not apply where
// they fall are skipped, so a shrunk plan is still a scenario.

export const RELATIONS = [7, 8, 9] as const;
export const UNITS = ['b/0', 'c/0', 'd/1', 'wordpress/0'] as const;

export type Move =
  | {
      readonly kind: 'join' | 'change' | 'depart';
      readonly relation: number;
      readonly unit: number;
    }
  | { readonly kind: 'restart' | 'dying'; readonly relation: number };

export interface Plan {
  /** What the watcher and the agent do, in order. */
  readonly moves: readonly Move[];
  /** What the watcher does after the last request (the restarted agent's work). */
  readonly after: readonly Move[];
}

const relationArb = fc.integer({ min: 0, max: RELATIONS.length - 1 });
const unitArb = fc.integer({ min: 0, max: UNITS.length - 1 });

export const moveArb: fc.Arbitrary<Move> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('join' as const),
      relation: relationArb,
      unit: unitArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      relation: relationArb,
      unit: unitArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('depart' as const),
      relation: relationArb,
      unit: unitArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('restart' as const), relation: relationArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('dying' as const), relation: relationArb }),
  },
);

export const planArb = (maxMoves: number): fc.Arbitrary<Plan> =>
  fc.record({
    moves: fc.array(moveArb, { minLength: 1, maxLength: maxMoves }),
    after: fc.array(moveArb, { maxLength: 2 }),
  });

interface Relation {
  readonly id: RelationId;
  readonly view: Map<UnitName, ChangeVersion>;
  readonly gone: Set<UnitName>;
  opened: boolean;
  dying: boolean;
  done: boolean;
  committed: State;
  source: LiveSource | undefined;
  /** Watcher events not yet attached to a request. */
  pending: TraceEvent[];
}

type ChangeEvent = TraceEvent & { readonly type: 'change' };

const snapshot = (view: ReadonlyMap<UnitName, ChangeVersion>): ChangeEvent => ({
  type: 'change',
  change: change([...view]),
});

/** The requests and the watcher's final views a plan stands for. */
export const compilePlan = (plan: Plan, name = 'generated'): Scenario => {
  const steps: Step[] = [];
  const relations = new Map<number, Relation>();
  let version = 0n;
  const next = () => {
    version += 1n;
    return changeVersion(version);
  };
  const relationOf = (index: number): Relation => {
    const id = relationId(RELATIONS[index] ?? RELATIONS[0]);
    let r = relations.get(id);
    if (r === undefined) {
      r = {
        id,
        view: new Map(),
        gone: new Set(),
        opened: false,
        dying: false,
        done: false,
        committed: emptyState(id),
        source: undefined,
        pending: [],
      };
      relations.set(id, r);
    }
    return r;
  };
  const emit = (r: Relation, step: Step) => {
    steps.push(r.pending.length === 0 ? step : { ...step, events: r.pending });
    r.pending = [];
  };
  const write = (r: Relation, hook: HookInfo) => {
    emit(r, { op: 'statedir.write', relation: r.id, hook });
    r.committed = commitHook(r.committed, hook);
  };
  /** The agent runs every hook its live source has. */
  const drain = (r: Relation) => {
    let source = r.source;
    for (let guard = 0; source !== undefined && guard < 100; guard += 1) {
      const hook = liveNext(source);
      if (O.isNone(hook)) break;
      write(r, hook.value);
      const popped = livePop(source);
      source = E.isRight(popped) ? popped.right : undefined;
    }
    r.source = source;
  };
  const deliver = (r: Relation, event: ChangeEvent) => {
    r.pending.push(event);
    if (r.source === undefined) return;
    const updated = liveUpdate(r.source, event.change);
    r.source = E.isRight(updated) ? updated.right : undefined;
    drain(r);
  };
  /** A (re)start: read the committed state back, then the watcher's snapshot. */
  const start = (r: Relation) => {
    const source = liveSource(r.committed);
    r.source = E.isRight(source) ? source.right : undefined;
    // The snapshot replaces what the watcher said before.
    r.pending = [];
    steps.push({ op: 'statedir.open', relation: r.id, events: [snapshot(r.view)] });
    if (!r.opened) emit(r, { op: 'statedir.ensure', relation: r.id });
    r.opened = true;
    const updated =
      r.source === undefined ? undefined : liveUpdate(r.source, snapshot(r.view).change);
    r.source = updated !== undefined && E.isRight(updated) ? updated.right : undefined;
    drain(r);
  };
  /**
   * The watcher's side of a move, if it applies: the unit is picked among
   * those the move can apply to (absent ones for a join, present ones
   * otherwise), so that most moves do something.
   */
  const watch = (r: Relation, m: Move): ChangeEvent | undefined => {
    if (m.kind === 'restart' || m.kind === 'dying') return undefined;
    if (r.dying) return undefined;
    const all = UNITS.map((u) => unitName(u));
    const candidates =
      m.kind === 'join'
        ? all.filter((u) => !r.view.has(u) && !r.gone.has(u))
        : all.filter((u) => r.view.has(u));
    const unit = candidates[('unit' in m ? m.unit : 0) % Math.max(1, candidates.length)];
    if (unit === undefined) return undefined;
    if (m.kind === 'depart') {
      r.view.delete(unit);
      r.gone.add(unit);
      return { type: 'change', change: change([], [unit]) };
    }
    const v = next();
    r.view.set(unit, v);
    return { type: 'change', change: change([[unit, v]]) };
  };
  for (const m of plan.moves) {
    const r = relationOf(m.relation);
    if (r.done) continue;
    if (m.kind === 'restart') {
      if (r.opened && !r.dying) start(r);
      continue;
    }
    if (m.kind === 'dying') {
      if (!r.opened) start(r);
      r.dying = true;
      r.source = undefined;
      r.pending.push({ type: 'dying' });
      for (const hook of dyingHooks(r.committed)) write(r, hook);
      r.done = true;
      continue;
    }
    const event = watch(r, m);
    if (event === undefined) continue;
    if (!r.opened) start(r);
    else deliver(r, event);
  }
  for (const m of plan.after) {
    const r = relations.get(relationId(RELATIONS[m.relation] ?? RELATIONS[0]));
    if (r === undefined || r.done) continue;
    if (m.kind === 'dying') r.dying = true;
    else watch(r, m);
  }
  const views = new Map<RelationId, View>();
  for (const r of relations.values()) {
    if (!r.opened) continue;
    views.set(r.id, r.dying ? { kind: 'dying' } : { kind: 'live', members: new Map(r.view) });
  }
  return { name, steps, views, watched: true };
};

/** The plans of a seed: the same seed gives the same plans. */
export const seededPlans = (seed: number, count: number, maxMoves = 12): Plan[] =>
  fc.sample(planArb(maxMoves), { seed, numRuns: count });
