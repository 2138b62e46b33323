import * as E from 'fp-ts/lib/Either.js';
import type { TraceEvent } from '../../spec/trace.ts';
import { TraceEvent as TraceEventC } from '../../spec/trace.ts';
import { decodeWith } from '../model/decode.ts';
import { parseJson } from '../model/json.ts';
import { decodeTraceEventFast } from './fastDecode.ts';

/** A trace line that is not a trace event; the message names line and field. */
export interface MalformedLine {
  readonly _tag: 'MalformedLine';
  readonly line: number;
  readonly message: string;
}

const decodeEvent = decodeWith(TraceEventC, 'trace event');

// JSON.parse is exact for integers of at most 15 digits; a line with a longer
// digit run (a large version, or a long unit number) goes through the lossless
// parser instead. Any line the fast path does not accept is decoded again by
// the io-ts codec, which gives the value or the error.
const LONG_DIGITS = /[0-9]{16}/;

const quick = (text: string): unknown => {
  if (LONG_DIGITS.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Decode one line of a JSONL trace; `line` is its 1-based number. */
export const decodeTraceLine = (
  text: string,
  line: number,
): E.Either<MalformedLine, TraceEvent> => {
  const fast = quick(text);
  if (fast !== undefined) {
    const event = decodeTraceEventFast(fast);
    if (event !== undefined) return E.right(event);
  }
  const json = parseJson(text);
  if (E.isLeft(json)) {
    return E.left({
      _tag: 'MalformedLine',
      line,
      message: `line ${line}: not JSON: ${json.left.message}`,
    });
  }
  const decoded = decodeEvent(json.right);
  if (E.isLeft(decoded)) {
    return E.left({
      _tag: 'MalformedLine',
      line,
      message: `line ${line}: ${decoded.left.message}`,
    });
  }
  return E.right(decoded.right);
};
