import * as fc from 'fast-check';
import type { RelationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { DEFAULT_SHAPE, type Op, type ScheduleShape, scheduleArb } from './schedule.ts';
import { relationIdArb, type StateSize, storedStateArb } from './state.ts';
import {
  type Breach,
  breachArb,
  buildWorld,
  FEW,
  MANY,
  type World,
  type WorldSize,
  worldPlanArb,
} from './world.ts';

/**
 * Everything one simulated agent lifetime needs: the state on disk when it
 * starts, the remote world, the consumer schedule, and whether the relation
 * dies at the end (after the schedule, the agent always drains: it takes
 * every remaining change, runs every hook, and reports idle; if `dies`, it
 * then switches to dying and winds the relation down).
 */
export interface Scenario {
  readonly initial: State;
  readonly world: World;
  readonly schedule: readonly Op[];
  readonly dies: boolean;
}

export interface ScenarioSize {
  readonly state: StateSize;
  readonly world: WorldSize;
  readonly shape: ScheduleShape;
}

export const SMALL: ScenarioSize = { state: { members: 4 }, world: FEW, shape: DEFAULT_SHAPE };
export const LARGE: ScenarioSize = {
  state: { members: 20 },
  world: MANY,
  shape: { ...DEFAULT_SHAPE, length: 60 },
};

const build = (
  size: ScenarioSize,
  breach: fc.Arbitrary<Breach | undefined>,
  rel: fc.Arbitrary<RelationId>,
): fc.Arbitrary<Scenario> =>
  fc
    .record({
      initial: storedStateArb(size.state, rel),
      plan: worldPlanArb(size.world),
      breach,
      schedule: scheduleArb(size.shape),
      dies: fc.boolean(),
    })
    .map(({ initial, plan, breach, schedule, dies }) => ({
      initial,
      world: buildWorld(initial, breach === undefined ? plan : { ...plan, breach }),
      schedule,
      dies,
    }));

/** Scenarios whose watcher obeys A1-A4. */
export const scenarioArb = (
  size: ScenarioSize = SMALL,
  rel: fc.Arbitrary<RelationId> = relationIdArb,
): fc.Arbitrary<Scenario> => build(size, fc.constant(undefined), rel);

/** Scenarios that break exactly one assumption (once), and obey the others. */
export const breakingScenarioArb = (
  assumption: 'A1' | 'A2' | 'A3' | 'A4',
  size: ScenarioSize = SMALL,
  rel: fc.Arbitrary<RelationId> = relationIdArb,
): fc.Arbitrary<Scenario> => build(size, breachArb(assumption), rel);
