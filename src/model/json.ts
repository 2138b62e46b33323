import * as E from 'fp-ts/lib/Either.js';
import { isSafeNumber, parse, stringify } from 'lossless-json';

// JSON with int64 fidelity: integer literals outside the safe range become
// bigint instead of silently losing precision; bigint values are written back
// as plain integer literals.

export interface JsonSyntaxError {
  readonly _tag: 'JsonSyntaxError';
  readonly message: string;
}

const parseNumber = (text: string): number | bigint => {
  if (/^-?[0-9]+$/.test(text) && !isSafeNumber(text)) return BigInt(text);
  return Number(text);
};

// An integer literal of at most 15 digits is always a safe JS number, so a
// text with no run of 16 digits parses the same with the built-in parser,
// which is several times faster (the protocol and trace hot paths). A text
// the built-in parser refuses goes to lossless-json for its error message.
const MAY_BE_UNSAFE = /[0-9]{16}/;

export const parseJson = (text: string): E.Either<JsonSyntaxError, unknown> => {
  if (!MAY_BE_UNSAFE.test(text)) {
    try {
      return E.right(JSON.parse(text));
    } catch {
      // fall through for lossless-json's message
    }
  }
  try {
    return E.right(parse(text, null, parseNumber));
  } catch (e) {
    return E.left({ _tag: 'JsonSyntaxError', message: (e as Error).message });
  }
};

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * The built-in serializer when every bigint is a safe number (the common
 * case); lossless-json, which writes bigint digits as they are, otherwise.
 */
const stringifyWith = (value: unknown, indent?: number): string => {
  let unsafe = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      if (v > MAX_SAFE || v < MIN_SAFE) unsafe = true;
      return Number(v);
    },
    indent,
  );
  if (!unsafe) return text ?? 'null';
  return stringify(value, undefined, indent) ?? 'null';
};

/** Compact JSON on one line; bigint written as digits. */
export const stringifyJson = (value: unknown): string => stringifyWith(value);

/** Indented JSON for files people read (fixtures, reports). */
export const stringifyJsonPretty = (value: unknown): string => `${stringifyWith(value, 2)}\n`;
