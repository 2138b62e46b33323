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

// A message is one line of text: the control characters, and the line and
// paragraph separators some readers split at, are written as escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is escaped
const UNSAFE_IN_TEXT = /[\u0000-\u001f\u007f\u2028\u2029]/g;

/** `text` with control characters and U+2028/U+2029 written as `\uXXXX`. */
export const oneLineText = (text: string): string =>
  text.replace(UNSAFE_IN_TEXT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The response as one JSON line (no newline); versions stay exact integers.
 * The id is written as received: JSON's -0 stays -0.
 */
export const encodeResponse = (response: Response): string => {
  const line = stringifyJson(
    response.ok ? response : { ...response, error: oneLineText(response.error) },
  );
  return Object.is(response.id, -0) ? line.replace('{"id":0,', '{"id":-0,') : line;
};

/** An absolute path (PROTOCOL.md: a base is an absolute path the runner owns). */
export const AbsolutePath = new t.Type<string, string, unknown>(
  'AbsolutePath',
  (u): u is string => typeof u === 'string' && u.startsWith('/'),
  (u, c) =>
    typeof u === 'string' && u.startsWith('/')
      ? t.success(u)
      : t.failure(u, c, 'expected an absolute path'),
  (s) => s,
);

/** State and Hook in their wire shape (versions as bigint, members sorted). */
export const encodeState = (state: State): StateJson => State.encode(state);

export const encodeHook = (hook: HookInfo): HookInfoJson => HookInfo.encode(hook);
