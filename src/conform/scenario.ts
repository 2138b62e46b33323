import * as fc from 'fast-check';
import { HOOK_KINDS } from '../model/hookKind.ts';
import type { WatchEvent, WireChange } from './world.ts';

/**
 * A conformance scenario in abstract form: what the world and the agent do,
 * not the protocol requests (the driver derives those, so that a shrunk
 * scenario is still a sensible one).
 */
export type ScenarioStep =
  /** The watcher reports an event (a snapshot if the source has not had its first change). */
  | { readonly t: 'watch'; readonly event: WatchEvent }
  /** The agent runs the next hook: empty?, next, validate against the committed state, write, pop. */
  | { readonly t: 'run' }
  /** The agent runs hooks until the source is empty (what an agent does when left alone). */
  | { readonly t: 'drain' }
  /** The agent looks without running: empty?, and next when there is one. */
  | { readonly t: 'peek' }
  /** The agent dies and starts again: reads the state directory back, fresh source and watcher. */
  | { readonly t: 'restart' }
  /** The relation starts dying: the agent switches to the dying source of its committed state. */
  | { readonly t: 'dying' }
  /** The agent reads every relation's state from the base directory. */
  | { readonly t: 'readAll' }
  /** Validate on an arbitrary (state, hook) pair, whatever the agent is doing. */
  | { readonly t: 'probe'; readonly probe: ValidateProbe }
  /** A list source of arbitrary hooks, drained. */
  | { readonly t: 'list'; readonly hooks: readonly ProbeHook[] }
  /**
   * A watcher change given as is, not derived from the world: how later
   * phases break the watcher's assumptions (A1-A4). The world follows it.
   */
  | { readonly t: 'change'; readonly change: WireChange }
  /**
   * A request sent as is, `$SOURCE` and `$DIR` standing for the agent's
   * current handles: how later phases misuse the API (next/pop on an empty
   * source, update on a dying one, unknown names).
   */
  | {
      readonly t: 'call';
      readonly request: Readonly<Record<string, unknown>> & { readonly op: string };
      /** Rule ids the request is built to meet, recorded when the reference answers with an error. */
      readonly rules?: readonly string[];
    };

export interface ProbeHook {
  readonly kind: number;
  readonly unit: number;
  readonly version: bigint;
  readonly otherRelation: boolean;
}

export interface ValidateProbe {
  readonly members: readonly number[] | null;
  readonly pending: number | null;
  readonly hook: ProbeHook;
  /** The hook is for a member of the state, with that member's version (when there is one). */
  readonly memberVersion: boolean;
}

export interface Scenario {
  readonly relationId: number;
  readonly steps: readonly ScenarioStep[];
}

/** Extension point for later phases: each phase supplies its own scenario arbitrary. */
export interface ScenarioShape {
  readonly maxSteps: number;
}

const version = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 20n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n - 2n, max: 2n ** 63n - 1n }) },
);

const watchEvent: fc.Arbitrary<WatchEvent> = fc.record({
  joins: fc.array(fc.record({ app: fc.nat(7), version }), { maxLength: 3 }),
  bumps: fc.array(fc.record({ pick: fc.nat(15), by: fc.bigInt({ min: 1n, max: 3n }) }), {
    maxLength: 3,
  }),
  departs: fc.array(fc.nat(15), { maxLength: 2 }),
  order: fc.nat(),
});

const probeHook: fc.Arbitrary<ProbeHook> = fc.record({
  kind: fc.nat(HOOK_KINDS.length - 1),
  unit: fc.nat(3),
  version: fc.bigInt({ min: 0n, max: 5n }),
  otherRelation: fc.boolean(),
});

const validateProbe: fc.Arbitrary<ValidateProbe> = fc.record({
  members: fc.option(fc.uniqueArray(fc.nat(3), { maxLength: 3 }), { freq: 6 }),
  pending: fc.option(fc.nat(3), { freq: 2 }),
  hook: probeHook,
  // A hook with its member's own version: Validate must not look at versions (R-VALIDATE-NO-VERSIONS).
  memberVersion: fc.boolean(),
});

const step: fc.Arbitrary<ScenarioStep> = fc.oneof(
  { weight: 6, arbitrary: watchEvent.map((event) => ({ t: 'watch', event }) as const) },
  { weight: 6, arbitrary: fc.constant({ t: 'run' } as const) },
  { weight: 3, arbitrary: fc.constant({ t: 'drain' } as const) },
  { weight: 1, arbitrary: fc.constant({ t: 'peek' } as const) },
  { weight: 2, arbitrary: fc.constant({ t: 'restart' } as const) },
  { weight: 1, arbitrary: fc.constant({ t: 'dying' } as const) },
  { weight: 1, arbitrary: fc.constant({ t: 'readAll' } as const) },
  { weight: 1, arbitrary: validateProbe.map((probe) => ({ t: 'probe', probe }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .array(probeHook, { maxLength: 3 })
      .map((hooks) => ({ t: 'list', hooks }) as const),
  },
);

/** Well-behaved scenarios: streams obeying A1-A4, any consumer schedule, restarts, dying. */
export const wellBehavedScenario = (shape: ScenarioShape): fc.Arbitrary<Scenario> =>
  fc.record({
    relationId: fc.oneof(fc.constant(7), fc.nat(1000)),
    // size 'max': lengths up to maxSteps (the default size stops at about 10).
    steps: fc.array(step, { maxLength: shape.maxSteps, size: 'max' }),
  });
