import type { ScenarioAdvisory } from './judge.ts';
import type { ConformOptions } from './phases.ts';
import type { Scenario } from './scenario.ts';

// The messages between `conform` and its scenario workers (workers.ts,
// worker.ts). A worker answers one request at a time, in order.

export interface WorkerData {
  readonly options: ConformOptions;
}

export type ToWorker =
  /** Check one scenario of the named phase (scenarios are plain data: they are copied over). */
  | { readonly type: 'run'; readonly phase: string; readonly scenario: Scenario }
  | { readonly type: 'close' };

export type FromWorker =
  /** The implementation started and said hello (or `error` says why not). */
  | { readonly type: 'ready'; readonly error?: string }
  | {
      readonly type: 'result';
      readonly failed: boolean;
      readonly reached: readonly string[];
      /** Hardenings met (level exact): the run's own process counts and shrinks them. */
      readonly advisories: readonly ScenarioAdvisory[];
    }
  /** The worker could not go on (an internal error): the phase cannot be run. */
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'closed' };
