import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { change, type RelationUnitsChange } from '../../src/model/change.ts';
import { type ChangeVersion, changeVersion } from '../../src/model/changeVersion.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import type { State } from '../../src/model/state.ts';
import { type UnitName, unitName } from '../../src/model/unitName.ts';
import { dyingSource } from '../../src/schedule/dying.ts';
import type { SourceError } from '../../src/schedule/errors.ts';
import {
  type HookSourceFacade,
  newDyingHookSource,
  newLiveHookSource,
  type RelationUnitsWatcher,
  type WatcherError,
} from '../../src/schedule/facade.ts';
import { liveSource } from '../../src/schedule/live.ts';
import * as pure from '../../src/schedule/source.ts';
import { R } from '../../tests/runtime/fixtures.ts';
import type { Op } from '../../tests/runtime/support.ts';

// What the scheduler properties share: generated scenarios (a start state,
// the watcher's changes and how its stream ends), a watcher whose every
// delivery is a task of fast-check's scheduler, and the replay of a run's
// recorded updates and pops on the pure source.

const UNITS = ['a/0', 'a/1', 'b/0'].map(unitName);

const unitsArb = fc.subarray(UNITS);
const versionArb = fc.integer({ min: 0, max: 3 }).map((n) => changeVersion(n));

export const stateArb: fc.Arbitrary<State> = unitsArb
  .chain((members) =>
    fc
      .tuple(
        fc.array(versionArb, { minLength: members.length, maxLength: members.length }),
        fc.option(fc.constantFrom(...(members.length > 0 ? members : [undefined])), {
          nil: undefined,
        }),
      )
      .map(([versions, pending]) => ({ members, versions, pending })),
  )
  .map(({ members, versions, pending }) => ({
    relationId: R,
    members: new Map(members.map((u, i) => [u, versions[i] as ChangeVersion])),
    changedPending: pending ?? '',
  }));

// Mostly what a real watcher sends; departures sometimes break its contract,
// so that update errors happen too.
const changeArb: fc.Arbitrary<RelationUnitsChange> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...UNITS), versionArb), { maxLength: 3 }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<UnitName[]>([]) },
      { weight: 1, arbitrary: fc.subarray(UNITS, { maxLength: 1 }) },
    ),
  )
  .map(([changed, departed]) =>
    change(
      changed,
      departed.filter((u) => !changed.some(([c]) => c === u)),
    ),
  );

export type Ending = 'open' | 'end' | 'fail';

export interface Scenario {
  readonly kind: 'live' | 'dying';
  readonly initial: State;
  readonly changes: readonly RelationUnitsChange[];
  readonly ending: Ending;
}

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  kind: fc.oneof(
    { weight: 4, arbitrary: fc.constant('live' as const) },
    { weight: 1, arbitrary: fc.constant('dying' as const) },
  ),
  initial: stateArb,
  changes: fc.array(changeArb, { maxLength: 5 }),
  ending: fc.oneof(
    { weight: 1, arbitrary: fc.constant<Ending>('open') },
    { weight: 2, arbitrary: fc.constantFrom<Ending>('end', 'fail') },
  ),
});

export const WATCHER_FAILURE = 'watcher failed: connection lost';

export interface ScheduledWatcher {
  readonly watcher: RelationUnitsWatcher;
  stops(): number;
}

/**
 * A watcher whose deliveries are scheduler tasks: the scheduler decides when
 * each change arrives relative to everything else. After the last change the
 * stream stays open until stop, or ends (with an error for 'fail').
 */
export const scheduledWatcher = (
  s: fc.Scheduler,
  scenario: Scenario,
  onDeliver: () => void = () => {},
): ScheduledWatcher => {
  let delivered = 0;
  let stops = 0;
  let error: WatcherError | undefined;
  let stopped: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const done: IteratorResult<RelationUnitsChange, undefined> = { done: true, value: undefined };
  const iterator: AsyncIterator<RelationUnitsChange, undefined> = {
    next: () => {
      const next = scenario.changes[delivered];
      if (next !== undefined) {
        delivered += 1;
        return s
          .schedule(
            Promise.resolve<IteratorResult<RelationUnitsChange, undefined>>({
              done: false,
              value: next,
            }),
            `deliver ${delivered}`,
          )
          .then((r) => {
            onDeliver();
            return r;
          });
      }
      if (scenario.ending === 'open') return stopping.then(() => done);
      return s.schedule(Promise.resolve(done), `watcher ${scenario.ending}`).then((r) => {
        if (scenario.ending === 'fail') error = { message: WATCHER_FAILURE };
        return r;
      });
    },
  };
  return {
    watcher: {
      changes: () => ({ [Symbol.asyncIterator]: () => iterator }),
      stop: async () => {
        stops += 1;
        stopped();
        return error;
      },
      err: () => error,
    },
    stops: () => stops,
  };
};

export const facadeFor = (scenario: Scenario, watcher: RelationUnitsWatcher): HookSourceFacade => {
  if (scenario.kind === 'dying') return newDyingHookSource(scenario.initial);
  const source = newLiveHookSource(scenario.initial, watcher);
  if (E.isLeft(source)) throw new Error(`scenario start refused: ${source.left.message}`);
  return source.right;
};

export const pureFor = (scenario: Scenario): pure.HookSource => {
  if (scenario.kind === 'dying') return dyingSource(scenario.initial);
  const source = liveSource(scenario.initial);
  if (E.isLeft(source)) throw new Error(`scenario start refused: ${source.left.message}`);
  return source.right;
};

export interface Replay {
  /** The head at every pop, in order: what a receiver must have got. */
  readonly popped: readonly HookInfo[];
  /** The error of the last update, if it failed. */
  readonly updateError: SourceError | undefined;
  /** The updates' changes in the order they were applied. */
  readonly applied: readonly RelationUnitsChange[];
}

/** Apply the recorded updates and pops, in their order, to the pure source. */
export const replay = (scenario: Scenario, log: readonly Op[]): Replay => {
  let source = pureFor(scenario);
  const popped: HookInfo[] = [];
  const applied: RelationUnitsChange[] = [];
  let updateError: SourceError | undefined;
  for (const op of log) {
    if (updateError !== undefined) throw new Error('the source was used after a failed update');
    if (op.op === 'update') {
      applied.push(op.change);
      const next = pure.update(source, op.change);
      if (E.isLeft(next)) updateError = next.left;
      else source = next.right;
    } else {
      const head = pure.next(source);
      if (O.isNone(head)) throw new Error('a pop on an empty source');
      popped.push(head.value);
      const next = pure.pop(source);
      if (E.isLeft(next)) throw new Error(next.left.message);
      source = next.right;
    }
  }
  return { popped, updateError, applied };
};

/** Counts of the situations a property must be shown to reach. */
export const counter = <K extends string>(...keys: K[]) => {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  return {
    counts,
    hit: (key: K, when = true) => {
      if (when) counts[key] += 1;
    },
  };
};
