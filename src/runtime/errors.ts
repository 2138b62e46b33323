import type { SourceError } from '../schedule/errors.ts';
import type { WatcherFailed } from '../schedule/facade.ts';

/** The watcher's stream ended; the watcher's own error, when it has one, replaces this. */
export interface ChangesEnded {
  readonly _tag: 'ChangesEnded';
  readonly message: string;
}

/** The owner of a sender's output closed it while the sender was offering. */
export interface OutputClosed {
  readonly _tag: 'OutputClosed';
  readonly message: string;
}

/** What ended a sender or a peeker, as returned by stop(). */
export type RuntimeError = SourceError | WatcherFailed | ChangesEnded | OutputClosed;

export const changesEnded: ChangesEnded = {
  _tag: 'ChangesEnded',
  message: 'hook source stopped providing updates',
};

// Go panics with this text when sending on a closed channel.
export const outputClosed: OutputClosed = {
  _tag: 'OutputClosed',
  message: 'send on closed channel',
};

/** Why a peek could not be consumed or rejected. */
export type PeekError =
  | { readonly _tag: 'PeekSettled'; readonly message: string }
  | { readonly _tag: 'PeekerStopped'; readonly message: string };

export const peekSettled: PeekError = {
  _tag: 'PeekSettled',
  message: 'peek already consumed or rejected',
};

export const peekerStopped: PeekError = {
  _tag: 'PeekerStopped',
  message: 'peeker stopped before the peek was consumed or rejected',
};

/**
 * Go's tomb keeps the first error: the one that ended the loop, else the one
 * from stopping the source. A watcher that ended its stream reports why
 * through its stop, which says more than "stopped providing updates".
 */
export const endingError = (
  loop: RuntimeError | undefined,
  stop: WatcherFailed | undefined,
): RuntimeError | undefined => {
  if (loop === undefined) return stop;
  if (loop._tag === 'ChangesEnded' && stop !== undefined) return stop;
  return loop;
};
