import type * as E from 'fp-ts/lib/Either.js';
import { type Client, failedClient, startClient } from '../runner/client.ts';
import type { RunnerError } from '../runner/errors.ts';
import { checkHello, type Hello } from '../runner/hello.ts';

/** How the implementation is started and what it may do (all optional but the command). */
export interface ImplLimits {
  /** Per-request timeout, ms. */
  readonly timeoutMs: number;
  /** How long start-up plus `hello` may take, ms (default: timeoutMs). */
  readonly startTimeoutMs?: number;
  /** Longest response line, bytes. */
  readonly maxLineBytes?: number;
  /** Most output per scenario, bytes. */
  readonly maxOutputBytes?: number;
  /** After this many sessions in a row end in a timeout or a death, stop (default 3). */
  readonly giveUpAfter?: number;
}

export const DEFAULT_GIVE_UP_AFTER = 3;

// The sessions that count towards giving up: a timeout (each costs the
// full timeout), or a death or flood before any answer after hello (a
// process that cannot get going). A crash after real work is a verdict to
// shrink, and shrinking has its own restart budget.
const isLoss = (client: Client): boolean => {
  const e = client.failure();
  if (e === undefined) return false;
  if (e._tag === 'Timeout') return true;
  return (e._tag === 'Died' || e._tag === 'TooMuchOutput') && client.answered() <= 1;
};

/**
 * The implementation under test, restarted on demand: after a death the
 * next scenario (and fast-check's shrinking) gets a fresh process, so one
 * crash does not end the run before it is shrunk. After `giveUpAfter`
 * sessions in a row are lost (timeouts, deaths at start), it gives up: every
 * later session fails at once, so a hung implementation costs a bounded
 * number of timeouts, not one per scenario.
 */
export class ImplPool {
  private current: Client | undefined;
  restarts = 0;
  private losses = 0;
  private lastLoss: RunnerError | undefined;
  readonly limits: ImplLimits;

  constructor(
    readonly command: string,
    limits: number | ImplLimits,
  ) {
    this.limits = typeof limits === 'number' ? { timeoutMs: limits } : limits;
  }

  get timeoutMs(): number {
    return this.limits.timeoutMs;
  }

  private spawn(): Client {
    const l = this.limits;
    return startClient({
      command: this.command,
      timeoutMs: l.timeoutMs,
      ...(l.maxLineBytes === undefined ? {} : { maxLineBytes: l.maxLineBytes }),
      ...(l.maxOutputBytes === undefined ? {} : { maxOutputBytes: l.maxOutputBytes }),
    });
  }

  private hello(client: Client) {
    return checkHello(client, undefined, this.limits.startTimeoutMs ?? this.limits.timeoutMs);
  }

  /** Start the first process and check its hello (the run's first phase). */
  async start(): Promise<E.Either<string, Hello>> {
    this.current = this.spawn();
    return this.hello(this.current);
  }

  /** The run should stop: too many sessions in a row were lost. */
  exhausted(): boolean {
    const current = this.current;
    if (current?.failure()?._tag === 'GaveUp') return true;
    // The current session's loss counts once it is over, not yet in `losses`.
    const pendingLoss = current !== undefined && isLoss(current) ? 1 : 0;
    return this.losses + pendingLoss >= this.giveUpAfter;
  }

  private get giveUpAfter(): number {
    return this.limits.giveUpAfter ?? DEFAULT_GIVE_UP_AFTER;
  }

  /** A live client: the current one, or a fresh one (hello checked) if it failed. */
  async client(): Promise<Client> {
    const current = this.current;
    if (current !== undefined && current.failure() === undefined) {
      this.losses = 0;
      current.resetOutputBudget();
      return current;
    }
    if (current !== undefined) {
      const failure = current.failure() as RunnerError;
      if (failure._tag === 'GaveUp') return current;
      if (isLoss(current)) {
        this.losses += 1;
        this.lastLoss = failure;
      } else this.losses = 0;
      current.kill();
      await current.idle();
      if (this.losses >= this.giveUpAfter) {
        this.current = failedClient({
          _tag: 'GaveUp',
          losses: this.losses,
          last: this.lastLoss as RunnerError,
        });
        return this.current;
      }
      this.restarts += 1;
    }
    this.current = this.spawn();
    await this.hello(this.current);
    return this.current;
  }

  /** Wait until the current process has nothing in flight (or is gone). */
  async idle(): Promise<void> {
    await this.current?.idle();
  }

  /** Throw the current process away: the next `client()` starts a fresh one. */
  async restart(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (c !== undefined) await c.close();
  }

  async close(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (c !== undefined) await c.close();
  }
}

export const helloLine = (h: Hello): string =>
  `${h.implementation}, protocol ${h.protocol}, supports ${h.supports.join(', ')}`;
