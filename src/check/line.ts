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

// The full path for a line (the checker scans a line in relspec's own
// layout from its bytes first, scan.ts): parseJson takes the built-in parser
// whenever that is exact. The fast decoder accepts the common shapes
// directly; anything it does not accept is decoded by the io-ts codec,
// which gives the value or names the problem.

/** Decode one line of a JSONL trace; `line` is its 1-based number. */
export const decodeTraceLine = (
  text: string,
  line: number,
): E.Either<MalformedLine, TraceEvent> => {
  const json = parseJson(text);
  if (E.isRight(json)) {
    const event = decodeTraceEventFast(json.right);
    if (event !== undefined) return E.right(event);
  }
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
