/**
 * The op registry of the driver protocol: how a request's `op` finds the code
 * that answers it.
 *
 * An op is registered by name with `defineOp(name, fields, handle)`:
 *
 * - `fields` are the io-ts codecs of the request's own fields (everything
 *   but `id` and `op`, which the session decodes itself). The session builds
 *   the request codec from them, decodes every request with it, and answers a
 *   request that does not decode with a protocol error naming the field path.
 *   Fields not listed are ignored.
 * - `handle(session, request)` gets the current session (an immutable value:
 *   named sources and named state directories, see session.ts) and the
 *   decoded, typed request (`request.op` and the fields; not `id`). It
 *   returns a `Reply`, or a Promise of one when it needs an effect that is
 *   asynchronous; the session awaits it before the next request, so order is
 *   kept. Pure ops (everything but statedir.*) are synchronous.
 * - A reply is one of:
 *   - `ok(result, session?)`: `{"ok": true, "result": result}`. `result` is a
 *     JSON-ready object; versions in it are bigint (encode State and Hook with
 *     `encodeState`/`encodeHook` from wire.ts). Pass the new session when the
 *     op changed it (a new or replaced handle); leave it out otherwise.
 *   - `failed(message, session?)`: a domain failure, `{"ok": true, "result":
 *     {"error": message}}`. This is what the implementation under test is
 *     compared on: use it for every error the specified behaviour produces.
 *   - `refused(message)`: a protocol error, `{"ok": false, "error": message}`.
 *     Only for requests that make no sense (unknown handle, op unavailable).
 *   - `farewell()`: the reply to `bye`: `{}`, after which the session is done.
 * - Handlers never throw: errors are values. (The session still turns an
 *   unexpected exception into a protocol error so that a server never dies.)
 *
 * An op table is a list of specs; `opTable(specs)` builds it, and a later
 * spec with the same name replaces an earlier one, which is how the real
 * statedir.* ops replace the placeholders of `unavailableStatedirOps`:
 *
 *     createReferenceSession(statedirOps(port))   // index.ts: reference ops + these
 *     createSession({ implementation, ops: withOps(referenceOps, statedirOps(port)) })
 *
 * State-directory handlers keep their handles in `session.dirs` with the
 * helpers of session.ts (`lookupDir`, `withDir`, `withoutDir`).
 */
import type * as t from 'io-ts';
import type { Session } from './session.ts';

export type Awaitable<A> = A | Promise<A>;

/** A JSON-ready result object (bigint stands for an int64 integer). */
export type ResultObject = object;

export type Reply =
  | {
      readonly _tag: 'Ok';
      readonly result: ResultObject;
      /** The session after the op, when the op changed it. */
      readonly session?: Session;
    }
  | { readonly _tag: 'Refused'; readonly message: string }
  | { readonly _tag: 'Farewell' };

export const ok = (result: ResultObject, session?: Session): Reply =>
  session === undefined ? { _tag: 'Ok', result } : { _tag: 'Ok', result, session };

/** A domain failure: a result `{"error": message}`, not a protocol error. */
export const failed = (message: string, session?: Session): Reply =>
  ok({ error: message }, session);

/** A protocol error: the request itself makes no sense. */
export const refused = (message: string): Reply => ({ _tag: 'Refused', message });

export const farewell = (): Reply => ({ _tag: 'Farewell' });

/** The decoded request a handler gets: its op name and its declared fields. */
export type RequestOf<N extends string, P extends t.Props> = { readonly op: N } & {
  readonly [K in keyof P]: t.TypeOf<P[K]>;
};

/** One registered op, with its types erased so that specs fit in one table. */
export interface OpSpec {
  readonly op: string;
  readonly fields: t.Props;
  readonly handle: (session: Session, request: never) => Awaitable<Reply>;
}

export const defineOp = <N extends string, P extends t.Props>(
  op: N,
  fields: P,
  handle: (session: Session, request: RequestOf<N, P>) => Awaitable<Reply>,
): OpSpec => ({ op, fields, handle });

/** The ops a session answers, by name. */
export interface OpTable {
  readonly byName: ReadonlyMap<string, OpSpec>;
}

/** Build a table; a later spec with the same name replaces an earlier one. */
export const opTable = (specs: readonly OpSpec[]): OpTable => {
  const byName = new Map<string, OpSpec>();
  for (const spec of specs) byName.set(spec.op, spec);
  return { byName };
};

/** The table with `specs` added, replacing ops of the same names. */
export const withOps = (table: OpTable, specs: readonly OpSpec[]): OpTable =>
  opTable([...table.byName.values(), ...specs]);
