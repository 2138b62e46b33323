import type { ConformOptions } from './phases.ts';

// The messages between `conform` and its scenario workers (workers.ts,
// worker.ts). A worker answers one request at a time, in order.

export interface WorkerData {
  readonly options: ConformOptions;
}

export type ToWorker =
  /** Make the phase's scenario list (runValues.ts); later runs index into it. */
  | { readonly type: 'phase'; readonly phase: string }
  | { readonly type: 'run'; readonly index: number }
  | { readonly type: 'close' };

export type FromWorker =
  /** The implementation started and said hello (or `error` says why not). */
  | { readonly type: 'ready'; readonly error?: string }
  | { readonly type: 'phase'; readonly runs: number }
  | {
      readonly type: 'result';
      readonly index: number;
      readonly failed: boolean;
      readonly reached: readonly string[];
    }
  /** The worker could not go on (an internal error): the phase cannot be run. */
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'closed' };
