import * as E from 'fp-ts/lib/Either.js';
import type { Response } from '../fixtures/fixture.ts';
import type { Session } from '../fixtures/replay.ts';
import type { Client } from '../runner/client.ts';
import type { Call } from './driver.ts';

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/** A response line without its id, in the fixtures' shape. */
export const stripId = (u: unknown): Response | undefined => {
  if (!isRecord(u)) return undefined;
  if (u.ok === true && isRecord(u.result)) return { ok: true, result: u.result };
  if (u.ok === false && typeof u.error === 'string') return { ok: false, error: u.error };
  return undefined;
};

/** The driver's view of a running implementation. */
export const clientCall =
  (client: Client): Call =>
  async (request) => {
    const answer = await client.call(request);
    if (E.isLeft(answer)) return answer;
    return E.right(stripId(answer.right) as Response);
  };

/** The driver's view of a fixture session (the in-process reference); ids are numbered here. */
export const sessionCall = (session: Session): Call => {
  let id = 0;
  return async (request) => {
    id += 1;
    const answer = await session.send({ ...request, id });
    if (E.isLeft(answer)) return E.left({ _tag: 'Closed', message: answer.left });
    const response = stripId(answer.right);
    return response === undefined
      ? E.left({ _tag: 'Closed', message: 'the reference answered with a malformed response' })
      : E.right(response);
  };
};
