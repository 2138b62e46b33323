import type { RelationUnitsChange } from '../model/change.ts';
import { type HookSourceFacade, watcherFailed } from '../schedule/facade.ts';
import { changesEnded, type RuntimeError } from './errors.ts';

/** A change received from the watcher and not applied yet, or the end of the stream. */
export type Arrival =
  | { readonly _tag: 'Change'; readonly change: RelationUnitsChange }
  | { readonly _tag: 'End'; readonly failure: string | undefined };

/**
 * The receiving end of a source's changes: at most one receive outstanding
 * and at most one change held, so changes reach `update` one at a time and
 * in order. A held change is Go's ready select case: it is applied as soon
 * as the loop is free to.
 */
export interface Intake {
  /** Start receiving the next change unless one is outstanding or held. */
  request(): void;
  /** The held arrival, if any; the intake forgets it. */
  take(): Arrival | undefined;
}

export const intake = (source: HookSourceFacade, wake: () => void): Intake => {
  const changes = source.hasChanges ? source.changes()[Symbol.asyncIterator]() : undefined;
  let outstanding = false;
  let held: Arrival | undefined;
  const arrive = (arrival: Arrival) => {
    outstanding = false;
    held = arrival;
    wake();
  };
  return {
    request: () => {
      if (changes === undefined || outstanding || held !== undefined) return;
      outstanding = true;
      changes.next().then(
        (r) =>
          arrive(
            r.done === true
              ? { _tag: 'End', failure: undefined }
              : { _tag: 'Change', change: r.value },
          ),
        // A stream that rejects has failed: the watcher's stop will say more, if it can.
        (e: unknown) =>
          arrive({ _tag: 'End', failure: e instanceof Error ? e.message : String(e) }),
      );
    },
    take: () => {
      const arrival = held;
      held = undefined;
      return arrival;
    },
  };
};

/** Why the loop ends when the stream ends. */
export const endOf = (arrival: Arrival & { _tag: 'End' }): RuntimeError =>
  arrival.failure === undefined ? changesEnded : watcherFailed(arrival.failure);
