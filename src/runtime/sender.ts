import * as E from 'fp-ts/lib/Either.js';
import type { HookInfo } from '../model/hook.ts';
import type { HookSourceFacade } from '../schedule/facade.ts';
import type { Offer, SendOnly } from './channel.ts';
import { endingError, outputClosed, type RuntimeError } from './errors.ts';
import { endOf, intake } from './intake.ts';
import { wakeup } from './wakeup.ts';

/** Go's HookSender: delivers a source's hooks until stopped or exhausted. */
export interface HookSender {
  /**
   * Stop the sender (if it still runs) and its source. Resolves, once both
   * are stopped, with the error that ended the sender, if any. Idempotent.
   */
  stop(): Promise<RuntimeError | undefined>;
  /** Settles like stop() when the sender ends, whether it was asked to or not. */
  readonly done: Promise<RuntimeError | undefined>;
}

/**
 * Deliver the hooks of `source` (now owned by the sender) in order on `out`.
 * While nobody takes the offered hook, watcher changes are still applied and
 * the offer is renewed, so what a receiver gets is always the current head.
 * A source without changes ends the sender once exhausted. The sender never
 * closes `out`: it belongs to the caller.
 */
export const newHookSender = (out: SendOnly<HookInfo>, source: HookSourceFacade): HookSender => {
  const { wait, wake } = wakeup();
  let stopping = false;

  const loop = async (): Promise<RuntimeError | undefined> => {
    const changes = intake(source, wake);
    let offer: Offer | undefined;
    for (;;) {
      // A taken hook is in the receiver's hands: pop it before anything else.
      const status = offer?.status();
      if (status === 'taken') {
        offer = undefined;
        const popped = source.pop();
        if (E.isLeft(popped)) return popped.left;
        continue;
      }
      if (status === 'closed') return outputClosed;
      if (stopping) {
        offer?.withdraw();
        return undefined;
      }
      const arrival = changes.take();
      if (arrival !== undefined) {
        offer?.withdraw();
        offer = undefined;
        if (arrival._tag === 'End') return endOf(arrival);
        const updated = source.update(arrival.change);
        if (E.isLeft(updated)) return updated.left;
        continue;
      }
      if (offer === undefined) {
        if (!source.empty()) {
          const head = source.next();
          if (E.isLeft(head)) return head.left;
          offer = out.offer(head.right);
          offer.outcome.then(wake);
          continue;
        }
        if (!source.hasChanges) return undefined;
      }
      changes.request();
      await wait();
    }
  };

  const run = async (): Promise<RuntimeError | undefined> => {
    let ended: RuntimeError | undefined;
    try {
      ended = await loop();
    } finally {
      ended = endingError(ended, await source.stop());
    }
    return ended;
  };

  const done = run();
  return {
    done,
    stop: () => {
      stopping = true;
      wake();
      return done;
    },
  };
};
