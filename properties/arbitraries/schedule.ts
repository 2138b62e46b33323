import * as fc from 'fast-check';

/**
 * Where a crash strikes, relative to one turn of the agent loop (take the
 * head hook, validate it, run it, write it, pop it):
 * - between: between two turns, nothing in flight;
 * - beforeHook: the hook was chosen but not run;
 * - afterHook: the hook ran, its write did not start (it is uncommitted);
 * - inWrite: the write's `call`-th mutating file operation fails and every
 *   later one too (what the disk holds depends on how far it got);
 * - afterCommit: the write succeeded, the source was not popped.
 */
export type CrashPoint =
  | { readonly at: 'between' }
  | { readonly at: 'beforeHook' }
  | { readonly at: 'afterHook' }
  | { readonly at: 'inWrite'; readonly call: number }
  | { readonly at: 'afterCommit' };

/**
 * One step of the consumer schedule:
 * - deliver: the watcher sends its next change (after a start, the snapshot);
 * - run: turns of the agent loop (each takes, runs, writes and pops one hook);
 * - crash: the agent dies at `point` during its next turn, while down the
 *   world moves on by `missed` deltas, then it restarts: it reads the state
 *   back, and its fresh watcher will send a snapshot of the current view;
 * - peek: the agent looks at the head hook (next) without running it, as a
 *   sender offering a hook that a later change may replace;
 * - dying: the relation starts dying; the agent switches to the dying source.
 */
export type Op =
  | { readonly op: 'deliver'; readonly count: number }
  | { readonly op: 'run'; readonly count: number }
  | { readonly op: 'crash'; readonly point: CrashPoint; readonly missed: number }
  | { readonly op: 'peek' }
  | { readonly op: 'dying' };

export const crashPointArb = (writeCalls: number): fc.Arbitrary<CrashPoint> =>
  fc.oneof(
    fc.constant({ at: 'between' as const }),
    fc.constant({ at: 'beforeHook' as const }),
    fc.constant({ at: 'afterHook' as const }),
    fc.record({ at: fc.constant('inWrite' as const), call: fc.nat(Math.max(0, writeCalls - 1)) }),
    fc.constant({ at: 'afterCommit' as const }),
  );

export interface ScheduleShape {
  readonly length: number;
  /** How many mutating file operations a write may make (the crash points inside it). */
  readonly writeCalls: number;
  readonly crashes: boolean;
  readonly dying: boolean;
}

export const DEFAULT_SHAPE: ScheduleShape = {
  length: 24,
  writeCalls: 4,
  crashes: true,
  dying: true,
};

/**
 * A consumer schedule: bursts of deliveries (up to 8 changes in a row), quiet
 * stretches of hook turns, crashes and the switch to dying, interleaved.
 */
export const scheduleArb = (shape: ScheduleShape = DEFAULT_SHAPE): fc.Arbitrary<Op[]> => {
  const ops: fc.WeightedArbitrary<Op>[] = [
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('deliver' as const),
        count: fc.integer({ min: 1, max: 8 }),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('run' as const),
        count: fc.integer({ min: 1, max: 8 }),
      }),
    },
  ];
  ops.push({ weight: 1, arbitrary: fc.constant({ op: 'peek' as const }) });
  if (shape.crashes) {
    ops.push({
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('crash' as const),
        point: crashPointArb(shape.writeCalls),
        missed: fc.oneof(
          { weight: 3, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.nat(3) },
        ),
      }),
    });
  }
  if (shape.dying) ops.push({ weight: 1, arbitrary: fc.constant({ op: 'dying' as const }) });
  return fc.array(fc.oneof(...ops), { maxLength: shape.length });
};
