import * as E from 'fp-ts/lib/Either.js';
import type { RelationUnitsChange } from '../model/change.ts';
import type { HookInfo } from '../model/hook.ts';
import type { State } from '../model/state.ts';
import { dyingSource } from './dying.ts';
import { emptySource, type SourceError, updatesRefused } from './errors.ts';
import { listSource } from './list.ts';
import { liveSource } from './live.ts';
import * as pure from './source.ts';

// The Go HookSource interface as a mutable object over the pure sources of
// source.ts: the concurrent wrappers of src/runtime drive one of these. Go's
// panics (next/pop on an empty source) are error values here.

/** Why a watcher ended; an Error satisfies it, so does any tagged error value. */
export interface WatcherError {
  readonly message: string;
}

/** A watcher ended with an error; reported by the source's stop(). */
export interface WatcherFailed {
  readonly _tag: 'WatcherFailed';
  readonly message: string;
}

export const watcherFailed = (message: string): WatcherFailed => ({
  _tag: 'WatcherFailed',
  message,
});

/**
 * Go's RelationUnitsWatcher. `changes()` yields the watcher's events in
 * order (every call gives the same stream); the iteration ends only when the
 * watcher is stopped or fails, and then `err()` says why. `stop()` resolves
 * with the error that ended the watcher, if any.
 */
export interface RelationUnitsWatcher {
  changes(): AsyncIterable<RelationUnitsChange>;
  stop(): Promise<WatcherError | undefined>;
  err(): WatcherError | undefined;
}

/** A hook source driven by one owner, as Go's HookSource. */
export interface HookSourceFacade {
  /**
   * Whether `changes()` can ever yield. Go tests the channel for nil; a
   * sender ends by itself once a source without changes is exhausted.
   */
  readonly hasChanges: boolean;
  /** The watcher's changes; for list and dying sources a stream that yields nothing until stop. */
  changes(): AsyncIterable<RelationUnitsChange>;
  /** Apply a change received from `changes()`; on error the schedule is unchanged. */
  update(change: RelationUnitsChange): E.Either<SourceError, void>;
  empty(): boolean;
  /** The head hook; EmptySource when nothing is scheduled. */
  next(): E.Either<SourceError, HookInfo>;
  /** Drop the head hook; EmptySource when nothing is scheduled. */
  pop(): E.Either<SourceError, void>;
  /** Stop the watcher, once: every call returns the same promise. */
  stop(): Promise<WatcherFailed | undefined>;
}

/** Go's NoUpdates: no changes (until stopped), updates refused, nothing to stop. */
export const noUpdates = (): Pick<
  HookSourceFacade,
  'hasChanges' | 'changes' | 'update' | 'stop'
> => {
  let stopped: (() => void) | undefined;
  const stopping = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const iterator: AsyncIterator<RelationUnitsChange> = {
    next: () => stopping.then(() => ({ done: true, value: undefined })),
  };
  const stream: AsyncIterable<RelationUnitsChange> = { [Symbol.asyncIterator]: () => iterator };
  return {
    hasChanges: false,
    changes: () => stream,
    update: () => E.left(updatesRefused),
    stop: () => {
      stopped?.();
      return Promise.resolve(undefined);
    },
  };
};

const over = (
  initial: pure.HookSource,
  edges: Pick<HookSourceFacade, 'hasChanges' | 'changes' | 'stop'>,
): HookSourceFacade => {
  let current = initial;
  const advance = (next: E.Either<SourceError, pure.HookSource>): E.Either<SourceError, void> => {
    if (E.isLeft(next)) return next;
    current = next.right;
    return E.right(undefined);
  };
  return {
    hasChanges: edges.hasChanges,
    changes: edges.changes,
    stop: edges.stop,
    update: (change) => advance(pure.update(current, change)),
    empty: () => pure.empty(current),
    next: () => E.fromOption(() => emptySource)(pure.next(current)),
    pop: () => advance(pure.pop(current)),
  };
};

const once = <A>(f: () => Promise<A>): (() => Promise<A>) => {
  let result: Promise<A> | undefined;
  return () => {
    result ??= f();
    return result;
  };
};

/**
 * A live source over `watcher`, of which it takes ownership. Fails (and
 * leaves the watcher to the caller) when `initial` names a changed-pending
 * unit that is not a member.
 */
export const newLiveHookSource = (
  initial: State,
  watcher: RelationUnitsWatcher,
): E.Either<SourceError, HookSourceFacade> =>
  E.map((source: pure.HookSource) =>
    over(source, {
      hasChanges: true,
      changes: () => watcher.changes(),
      stop: once(async () => {
        const error = (await watcher.stop()) ?? watcher.err();
        return error === undefined ? undefined : watcherFailed(error.message);
      }),
    }),
  )(liveSource(initial));

/** The hooks that wind `initial` down (see dying.ts), refusing updates. */
export const newDyingHookSource = (initial: State): HookSourceFacade =>
  over(dyingSource(initial), noUpdates());

/** Exactly `hooks`, in order, refusing updates. */
export const newListSource = (hooks: readonly HookInfo[]): HookSourceFacade =>
  over(listSource(hooks), noUpdates());
