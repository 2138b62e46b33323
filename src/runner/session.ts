import * as E from 'fp-ts/lib/Either.js';
import type { Session } from '../fixtures/replay.ts';
import type { Client } from './client.ts';
import { describeRunnerError } from './errors.ts';

/**
 * A running implementation as a fixture session (src/fixtures/replay.ts):
 * one request in, its decoded response line out, or why the session ended.
 */
export const fixtureSession = (client: Client): Session => ({
  send: async (request) => {
    const answer = await client.call(request as { op: string });
    return E.isLeft(answer) ? E.left(describeRunnerError(answer.left)) : E.right(answer.right);
  },
});
