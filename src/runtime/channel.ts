// An unbuffered (rendezvous) channel, the shape of Go's `chan T` that the
// wrappers need. A sender makes an offer that a receiver takes, or that the
// sender withdraws: a withdrawn value never reaches anyone, which is what lets
// a sender "select" between delivering a hook and doing something else. All
// bookkeeping is synchronous, so at any point an offer is either taken or not.

export type OfferOutcome = 'taken' | 'withdrawn' | 'closed';

/** One value offered on a channel. */
export interface Offer {
  /** Settles once: taken by a receiver, withdrawn by the sender, or refused by a closed channel. */
  readonly outcome: Promise<OfferOutcome>;
  /** The outcome so far. */
  status(): OfferOutcome | 'pending';
  /** Take the value back unless a receiver already has it; returns the final outcome. */
  withdraw(): OfferOutcome;
}

/** The sending side (Go's `chan<- T`): it cannot close the channel. */
export interface SendOnly<T> {
  offer(value: T): Offer;
  /** Offer and wait: true once taken, false if the channel is or gets closed. */
  send(value: T): Promise<boolean>;
}

/** The receiving side (Go's `<-chan T`); iteration ends when the channel is closed. */
export interface ReceiveOnly<T> extends AsyncIterable<T> {
  /** The next value, or done once the channel is closed. */
  receive(): Promise<IteratorResult<T, undefined>>;
}

export interface Channel<T> extends SendOnly<T>, ReceiveOnly<T> {
  /** Refuse pending and future offers and end every receive. Idempotent. */
  close(): void;
  readonly closed: boolean;
}

interface Pending<T> {
  readonly value: T;
  settle(outcome: OfferOutcome): void;
}

const DONE: IteratorResult<never, undefined> = { done: true, value: undefined };

export const channel = <T>(): Channel<T> => {
  const offers: Pending<T>[] = [];
  const receivers: ((result: IteratorResult<T, undefined>) => void)[] = [];
  let closed = false;

  const offer = (value: T): Offer => {
    let status: OfferOutcome | 'pending' = 'pending';
    let resolve: (outcome: OfferOutcome) => void = () => {};
    const outcome = new Promise<OfferOutcome>((r) => {
      resolve = r;
    });
    const pending: Pending<T> = {
      value,
      settle: (o) => {
        if (status !== 'pending') return;
        status = o;
        resolve(o);
      },
    };
    const receiver = closed ? undefined : receivers.shift();
    if (closed) pending.settle('closed');
    else if (receiver !== undefined) {
      pending.settle('taken');
      receiver({ done: false, value });
    } else offers.push(pending);
    return {
      outcome,
      status: () => status,
      withdraw: () => {
        const i = offers.indexOf(pending);
        if (i >= 0) offers.splice(i, 1);
        pending.settle('withdrawn');
        return status as OfferOutcome;
      },
    };
  };

  const receive = (): Promise<IteratorResult<T, undefined>> => {
    const pending = offers.shift();
    if (pending !== undefined) {
      pending.settle('taken');
      return Promise.resolve({ done: false, value: pending.value });
    }
    if (closed) return Promise.resolve(DONE);
    return new Promise((resolve) => receivers.push(resolve));
  };

  const iterator: AsyncIterator<T, undefined> = { next: receive };

  return {
    offer,
    send: async (value) => (await offer(value).outcome) === 'taken',
    receive,
    [Symbol.asyncIterator]: () => iterator,
    close: () => {
      if (closed) return;
      closed = true;
      for (const pending of offers.splice(0)) pending.settle('closed');
      for (const receiver of receivers.splice(0)) receiver(DONE);
    },
    get closed() {
      return closed;
    },
  };
};
