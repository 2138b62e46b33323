import * as E from 'fp-ts/lib/Either.js';
import type { RelationUnitsChange } from '../../src/model/change.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import { channel } from '../../src/runtime/channel.ts';
import type {
  HookSourceFacade,
  RelationUnitsWatcher,
  WatcherError,
} from '../../src/schedule/facade.ts';

// Test doubles for the runtime: a watcher fed by the test, and a source
// that records, in order, every update and pop that reached it.

export interface TestWatcher {
  readonly watcher: RelationUnitsWatcher;
  /** Resolves once the watcher's reader has received `change`. */
  send(change: RelationUnitsChange): Promise<boolean>;
  /** End the stream; `message` becomes the watcher's error. */
  end(message?: string): void;
  stops(): number;
}

export const testWatcher = (): TestWatcher => {
  const changes = channel<RelationUnitsChange>();
  let error: WatcherError | undefined;
  let stops = 0;
  return {
    watcher: {
      changes: () => changes,
      stop: async () => {
        stops += 1;
        changes.close();
        return error;
      },
      err: () => error,
    },
    send: (change) => changes.send(change),
    end: (message) => {
      if (message !== undefined) error = { message };
      changes.close();
    },
    stops: () => stops,
  };
};

export type Op =
  | {
      readonly op: 'update';
      readonly change: RelationUnitsChange;
      readonly ok: boolean;
      /** Whether a hook was scheduled (so on offer, or held) when the change came in. */
      readonly wasScheduled: boolean;
    }
  | { readonly op: 'pop'; readonly hook: HookInfo };

export interface Recording {
  readonly source: HookSourceFacade;
  readonly log: readonly Op[];
  stops(): number;
  /** Whether update or pop was called after stop. */
  usedAfterStop(): boolean;
  /** Resolves once the log holds `n` entries. */
  logged(n: number): Promise<void>;
}

/**
 * Wrap `inner`; `onUpdate` runs inside update, before the change is applied;
 * `sink` sees every op as it is logged.
 */
export const recording = (
  inner: HookSourceFacade,
  onUpdate: () => void = () => {},
  sink: (op: Op) => void = () => {},
): Recording => {
  const log: Op[] = [];
  let stops = 0;
  let usedAfterStop = false;
  const waiters: { n: number; resolve: () => void }[] = [];
  const push = (op: Op) => {
    log.push(op);
    sink(op);
    for (const w of waiters.filter((w) => log.length >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const source: HookSourceFacade = {
    hasChanges: inner.hasChanges,
    changes: () => inner.changes(),
    empty: () => inner.empty(),
    next: () => inner.next(),
    update: (change) => {
      onUpdate();
      usedAfterStop ||= stops > 0;
      const wasScheduled = !inner.empty();
      const result = inner.update(change);
      push({ op: 'update', change, ok: E.isRight(result), wasScheduled });
      return result;
    },
    pop: () => {
      usedAfterStop ||= stops > 0;
      const head = inner.next();
      const result = inner.pop();
      if (E.isRight(head) && E.isRight(result)) push({ op: 'pop', hook: head.right });
      return result;
    },
    stop: () => {
      stops += 1;
      return inner.stop();
    },
  };
  return {
    source,
    log,
    stops: () => stops,
    usedAfterStop: () => usedAfterStop,
    logged: (n) =>
      log.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
  };
};

/** The value of a Right, or a failed assertion. */
export const right = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got Left: ${e.left.message}`);
  return e.right;
};

/**
 * Let every promise chain that is already runnable finish, to show that
 * something does NOT happen. It counts microtask turns, never time.
 */
export const quiesce = async (turns = 50): Promise<void> => {
  for (let i = 0; i < turns; i++) await Promise.resolve();
};
