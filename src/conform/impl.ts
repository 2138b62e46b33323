import type * as E from 'fp-ts/lib/Either.js';
import { type Client, startClient } from '../runner/client.ts';
import { checkHello, type Hello } from '../runner/hello.ts';

/**
 * The implementation under test, restarted on demand: after a death the
 * next scenario (and fast-check's shrinking) gets a fresh process, so one
 * crash does not end the run before it is shrunk.
 */
export class ImplPool {
  private current: Client | undefined;
  restarts = 0;

  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {}

  /** Start the first process and check its hello (the run's first phase). */
  async start(): Promise<E.Either<string, Hello>> {
    this.current = startClient({ command: this.command, timeoutMs: this.timeoutMs });
    return checkHello(this.current);
  }

  /** A live client: the current one, or a fresh one (hello checked) if it failed. */
  async client(): Promise<Client> {
    if (this.current !== undefined && this.current.failure() === undefined) return this.current;
    if (this.current !== undefined) {
      this.current.kill();
      this.restarts += 1;
    }
    this.current = startClient({ command: this.command, timeoutMs: this.timeoutMs });
    await checkHello(this.current);
    return this.current;
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
