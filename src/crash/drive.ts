import * as E from 'fp-ts/lib/Either.js';
import type { Client } from '../runner/client.ts';
import { describeRunnerError, type RunnerError } from '../runner/errors.ts';
import type { Request, Response } from '../runner/response.ts';

/** The id of the request of step `i`; the trace is mapped back to steps through it. */
export const stepId = (i: number): number => 1000 + i;

/** A domain result: the `result` object of an ok response. */
export type Result = Record<string, unknown>;

export type CallOutcome =
  | { readonly _tag: 'Result'; readonly result: Result }
  | { readonly _tag: 'Protocol'; readonly error: string }
  | { readonly _tag: 'Runner'; readonly error: RunnerError };

/** Send one request and wait for its answer (the crash phases never pipeline). */
export const send = async (client: Client, request: Request): Promise<CallOutcome> => {
  const answer = await client.call(request);
  if (E.isLeft(answer)) return { _tag: 'Runner', error: answer.left };
  const r: Response = answer.right;
  return r.ok ? { _tag: 'Result', result: r.result } : { _tag: 'Protocol', error: r.error };
};

/** The domain error of a result (`{"error": ...}`), if any. */
export const domainError = (outcome: CallOutcome): string | undefined =>
  outcome._tag === 'Result' && typeof outcome.result.error === 'string'
    ? outcome.result.error
    : undefined;

export const describeOutcome = (outcome: CallOutcome): string => {
  switch (outcome._tag) {
    case 'Result':
      return domainError(outcome) === undefined
        ? 'succeeded'
        : `domain error: ${domainError(outcome)}`;
    case 'Protocol':
      return `protocol error: ${outcome.error}`;
    case 'Runner':
      return describeRunnerError(outcome.error);
  }
};
