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

export const parseJson = (text: string): E.Either<JsonSyntaxError, unknown> => {
  try {
    return E.right(parse(text, null, parseNumber));
  } catch (e) {
    return E.left({ _tag: 'JsonSyntaxError', message: (e as Error).message });
  }
};

/** Compact JSON on one line; bigint written as digits. */
export const stringifyJson = (value: unknown): string => stringify(value) ?? 'null';

/** Indented JSON for files people read (fixtures, reports). */
export const stringifyJsonPretty = (value: unknown): string =>
  `${stringify(value, undefined, 2) ?? 'null'}\n`;
