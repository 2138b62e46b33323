import * as t from 'io-ts';
import { HookInfo, type HookInfoJson } from '../model/hook.ts';
import { stringifyJson } from '../model/json.ts';
import { State, type StateJson } from '../model/state.ts';

/** The protocol version `hello` announces. */
export const PROTOCOL_VERSION = 1;

/** A request id: any JSON integer; it is echoed exactly (bigint beyond 2^53). */
export type RequestId = number | bigint;

export const RequestId = new t.Type<RequestId, RequestId, unknown>(
  'RequestId',
  (u): u is RequestId => typeof u === 'bigint' || (typeof u === 'number' && Number.isInteger(u)),
  (u, c) =>
    typeof u === 'bigint' || (typeof u === 'number' && Number.isSafeInteger(u))
      ? t.success(u)
      : t.failure(u, c, 'expected an integer request id'),
  (id) => id,
);

/** A name the runner gives a source or a state directory. */
export const HandleName = new t.Type<string, string, unknown>(
  'HandleName',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) =>
    typeof u === 'string' && u !== '' ? t.success(u) : t.failure(u, c, 'expected a non-empty name'),
  (s) => s,
);

/** One response line's content, before encoding. */
export type Response =
  | { readonly id: RequestId; readonly ok: true; readonly result: object }
  | { readonly id: RequestId | null; readonly ok: false; readonly error: string };

/** The response as one JSON line (no newline); versions stay exact integers. */
export const encodeResponse = (response: Response): string => stringifyJson(response);

/** State and Hook in their wire shape (versions as bigint, members sorted). */
export const encodeState = (state: State): StateJson => State.encode(state);

export const encodeHook = (hook: HookInfo): HookInfoJson => HookInfo.encode(hook);
