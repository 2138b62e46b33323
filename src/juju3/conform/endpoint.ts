import * as E from 'fp-ts/lib/Either.js';
import { canonical } from '../../fixtures/canonical.ts';
import { handleRequest, isPromise, type Session } from '../../protocol/session.ts';
import { type Client, startClient } from '../../runner/client.ts';
import { describeRunnerError } from '../../runner/errors.ts';
import type { Request } from '../../runner/response.ts';

/** A response without its id: `{ok, result}` or `{ok: false, error}`, in canonical JSON. */
export type Answer =
  | { readonly ok: true; readonly result: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

/** Something that answers juju-3 requests: a child process or an in-process session. */
export interface Endpoint {
  /** A runner failure (timeout, death, bad line) is a Left and ends the endpoint. */
  readonly call: (request: Request) => Promise<E.Either<string, Answer>>;
  readonly close: () => Promise<void>;
}

/** Integers as the JSON parser gives them: number when safe, bigint beyond. */
export const normalize = (u: unknown): unknown => {
  if (typeof u === 'bigint') return u >= -(2n ** 53n) + 1n && u <= 2n ** 53n - 1n ? Number(u) : u;
  if (Array.isArray(u)) return u.map(normalize);
  if (typeof u === 'object' && u !== null)
    return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, normalize(v)]));
  return u;
};

const toAnswer = (u: unknown): Answer => {
  const r = canonical(u) as Record<string, unknown>;
  return r.ok === true
    ? { ok: true, result: (r.result ?? {}) as Record<string, unknown> }
    : { ok: false, error: String(r.error) };
};

/** The implementation as a process started from a shell command. */
export const processEndpoint = (
  command: string,
  timeoutMs: number,
): { endpoint: Endpoint; client: Client } => {
  const client = startClient({ command, timeoutMs });
  return {
    client,
    endpoint: {
      call: async (request) => {
        const answer = await client.call(request);
        return E.isLeft(answer)
          ? E.left(describeRunnerError(answer.left))
          : E.right(toAnswer(answer.right));
      },
      close: async () => {
        await client.close();
      },
    },
  };
};

/** One request answered by a session value: the session after it and the answer. */
export const answerOn = async (
  session: Session,
  request: Request,
): Promise<{ readonly session: Session; readonly answer: Answer }> => {
  const stepped = handleRequest(session, { ...request, id: 1 });
  const step = isPromise(stepped) ? await stepped : stepped;
  return { session: step.session, answer: toAnswer(normalize(step.response)) };
};

/** The result object of an answer ({} for a protocol error). */
export const resultOf = (a: Answer): Record<string, unknown> => (a.ok ? a.result : {});

/** A session answered in this process (the reference, or a mutant of it). */
export const sessionEndpoint = (initial: Session): Endpoint => {
  let session = initial;
  return {
    call: async (request) => {
      const r = await answerOn(session, request);
      session = r.session;
      return E.right(r.answer);
    },
    close: async () => {},
  };
};
