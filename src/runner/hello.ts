import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeWith } from '../model/decode.ts';
import type { Client } from './client.ts';
import { describeRunnerError } from './errors.ts';

/** What an implementation says about itself in answer to `hello`. */
export interface Hello {
  readonly implementation: string;
  readonly protocol: 1;
  readonly supports: readonly string[];
}

const HelloC = t.type(
  {
    implementation: t.string,
    protocol: t.literal(1),
    supports: t.readonlyArray(t.string),
  },
  'hello result',
);

const decodeHello = decodeWith(HelloC as t.Type<Hello, unknown, unknown>);

/**
 * How long the first answer may take: it includes the implementation's
 * start-up (a JIT, a loader, a loaded machine), which the per-request
 * timeout is not about.
 */
export const START_TIMEOUT_MS = 30_000;

/** Features relspec needs from an implementation for the whole conformance run. */
export const REQUIRED_FEATURES = ['live', 'dying', 'list', 'validate', 'statedir'] as const;

/**
 * Ask `hello` and check the answer: protocol 1 and the features the run
 * needs. The error is one line (plus stderr lines) a user can act on.
 */
export const checkHello = async (
  client: Client,
  required: readonly string[] = REQUIRED_FEATURES,
  startTimeoutMs: number = START_TIMEOUT_MS,
): Promise<E.Either<string, Hello>> => {
  const answer = await client.call({ op: 'hello' }, startTimeoutMs);
  if (E.isLeft(answer)) return E.left(`hello failed: ${describeRunnerError(answer.left)}`);
  const response = answer.right;
  if (!response.ok) return E.left(`hello failed: protocol error: ${response.error}`);
  const hello = decodeHello(response.result);
  if (E.isLeft(hello)) return E.left(`hello failed: ${hello.left.message}`);
  const missing = required.filter((f) => !hello.right.supports.includes(f));
  if (missing.length > 0) {
    return E.left(
      `hello failed: implementation ${JSON.stringify(hello.right.implementation)} does not support ${missing.join(', ')}`,
    );
  }
  return E.right(hello.right);
};
