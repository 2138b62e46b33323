import * as t from 'io-ts';
import { decodeWith } from '../model/decode.ts';

/**
 * A protocol v1 response line: `{"id", "ok": true, "result"}` or
 * `{"id", "ok": false, "error"}` (id null when the request could not be read).
 */
export type Response =
  | { readonly id: number | null; readonly ok: true; readonly result: Record<string, unknown> }
  | { readonly id: number | null; readonly ok: false; readonly error: string };

const Id = t.union([t.number, t.null]);

const ResponseC = t.union([
  t.type({ id: Id, ok: t.literal(true), result: t.UnknownRecord }),
  t.type({ id: Id, ok: t.literal(false), error: t.string }),
]);

export const decodeResponse = decodeWith(
  ResponseC as unknown as t.Type<Response, unknown, unknown>,
  'response',
);

/** A request as sent: an op, its fields, and the id the runner gives it. */
export interface Request {
  readonly op: string;
  readonly [field: string]: unknown;
}
