import * as E from 'fp-ts/lib/Either.js';
import type { HookInfo } from '../model/hook.ts';
import type { HookSourceFacade } from '../schedule/facade.ts';
import { channel, type Offer, type ReceiveOnly } from './channel.ts';
import {
  endingError,
  type PeekError,
  peekerStopped,
  peekSettled,
  type RuntimeError,
} from './errors.ts';
import { endOf, intake } from './intake.ts';
import { wakeup } from './wakeup.ts';

/**
 * The head of a peeker's source. Whoever receives one must consume or reject
 * it before the peeker does anything else.
 */
export interface Peek {
  readonly hookInfo: HookInfo;
  /** Pop the hook from the source; the next peek follows. */
  consume(): E.Either<PeekError, void>;
  /** Leave the hook at the head; the next peek follows. */
  reject(): E.Either<PeekError, void>;
}

/** Go's Peeker. */
export interface Peeker {
  /** The peeks, one at a time; the stream ends when the peeker stops. */
  peeks(): ReceiveOnly<Peek>;
  /** Stop the peeker and its source; resolves with the error that ended it, if any. Idempotent. */
  stop(): Promise<RuntimeError | undefined>;
  /** Settles like stop() when the peeker ends, whether it was asked to or not. */
  readonly done: Promise<RuntimeError | undefined>;
}

type Verdict = 'consume' | 'reject';
/** A verdict once applied: a failed pop ends the peeker. */
type Settled = E.Either<RuntimeError, Verdict>;

/**
 * A view of the head of `source` (now owned by the peeker). While a peek is
 * out no watcher change is applied. An empty source offers no peek; as in
 * Go, an exhausted source without changes does not end the peeker.
 */
export const newPeeker = (source: HookSourceFacade): Peeker => {
  const { wait, wake } = wakeup();
  const peeks = channel<Peek>();
  let stopping = false;
  let ended = false;

  // The verdict takes effect at once, as Go's Consume pops in the caller:
  // a consume followed at once by stop() still pops. The loop is waiting for
  // this verdict, so nothing else touches the source meanwhile.
  const peekOf = (hookInfo: HookInfo) => {
    let verdict: Settled | undefined;
    const settle = (v: Verdict): E.Either<PeekError, void> => {
      if (verdict !== undefined) return E.left(peekSettled);
      if (ended || stopping) return E.left(peekerStopped);
      verdict = v === 'consume' ? E.as(source.pop(), v) : E.right(v);
      wake();
      return E.right(undefined);
    };
    const peek: Peek = {
      hookInfo,
      consume: () => settle('consume'),
      reject: () => settle('reject'),
    };
    return { peek, verdict: () => verdict };
  };

  const loop = async (): Promise<RuntimeError | undefined> => {
    const changes = intake(source, wake);
    let offer: { offer: Offer; verdict: () => Settled | undefined } | undefined;
    let out: (() => Settled | undefined) | undefined;
    for (;;) {
      if (stopping) {
        offer?.offer.withdraw();
        return undefined;
      }
      if (out !== undefined) {
        // A peek is out: nothing happens until it is settled.
        const verdict = out();
        if (verdict === undefined) {
          await wait();
          continue;
        }
        out = undefined;
        if (E.isLeft(verdict)) return verdict.left;
        continue;
      }
      if (offer?.offer.status() === 'taken') {
        out = offer.verdict;
        offer = undefined;
        continue;
      }
      const arrival = changes.take();
      if (arrival !== undefined) {
        offer?.offer.withdraw();
        offer = undefined;
        if (arrival._tag === 'End') return endOf(arrival);
        const updated = source.update(arrival.change);
        if (E.isLeft(updated)) return updated.left;
        continue;
      }
      if (offer === undefined && !source.empty()) {
        const head = source.next();
        if (E.isLeft(head)) return head.left;
        const { peek, verdict } = peekOf(head.right);
        offer = { offer: peeks.offer(peek), verdict };
        offer.offer.outcome.then(wake);
        continue;
      }
      changes.request();
      await wait();
    }
  };

  const run = async (): Promise<RuntimeError | undefined> => {
    let error: RuntimeError | undefined;
    try {
      error = await loop();
    } finally {
      ended = true;
      error = endingError(error, await source.stop());
      peeks.close();
    }
    return error;
  };

  const done = run();
  return {
    done,
    peeks: () => peeks,
    stop: () => {
      stopping = true;
      wake();
      return done;
    },
  };
};
