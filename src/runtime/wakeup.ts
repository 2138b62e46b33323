// How a wrapper's loop waits for "something happened" (an offer settled, a
// change arrived, stop was asked) without racing long-lived promises:
// Promise.race on the same pending promise adds a reaction per round and
// leaks. Each event calls wake(); the loop re-examines its state after wait().

export interface Wakeup {
  /** Resolves at the next wake(), or at once if one came since the last wait. */
  wait(): Promise<void>;
  wake(): void;
}

export const wakeup = (): Wakeup => {
  let woken = false;
  let resolve: (() => void) | undefined;
  return {
    wait: () => {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((r) => {
        resolve = r;
      });
    },
    wake: () => {
      if (resolve === undefined) {
        woken = true;
        return;
      }
      const r = resolve;
      resolve = undefined;
      r();
    },
  };
};
