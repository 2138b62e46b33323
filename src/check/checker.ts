import * as E from 'fp-ts/lib/Either.js';
import type { ClauseId } from '../../spec/model/clauses.ts';
import { createMonitor, type MonitorOptions } from '../../spec/model/monitor.ts';
import type { TraceEvent } from '../../spec/trace.ts';
import { decodeTraceLine } from './line.ts';
import { byteLines } from './lines.ts';
import { createLineScanner } from './scan.ts';

/** The outcome of checking a trace. */
export type CheckResult =
  | { readonly _tag: 'Conforms'; readonly events: number; readonly lines: number }
  | {
      readonly _tag: 'Violation';
      readonly clause: ClauseId;
      /** 1-based line number of the offending event in the file. */
      readonly line: number;
      /** 0-based index of the offending event among the events. */
      readonly step: number;
      readonly explanation: string;
    }
  | { readonly _tag: 'Malformed'; readonly line: number; readonly message: string };

/**
 * A trace checker fed one line at a time (without its newline): it decodes
 * the line and hands the event to the guarantee monitor. Blank lines are
 * skipped. After a verdict other than conformance, `line` returns it again.
 */
export interface TraceChecker {
  /** Feed the next line; returns the verdict once the trace is decided (violation or malformed). */
  readonly line: (text: string) => CheckResult | undefined;
  /**
   * Feed the next line as its UTF-8 bytes b[start, end) (the fast path: a
   * line in relspec's own layout is never decoded). The bytes are not kept.
   */
  readonly bytes: (b: Uint8Array, start: number, end: number) => CheckResult | undefined;
  /** The verdict at the end of the input. */
  readonly end: () => CheckResult;
}

const BLANK = /^\s*$/;
const CR = 0x0d;
// A lone surrogate has no UTF-8 form: such a text keeps to the text path.
const LONE_SURROGATE = /\p{Cs}/u;

// ASCII spaces and controls, and every non-ASCII code unit (Unicode spaces).
const mayBeBlank = (c: number): boolean => c <= 0x20 || c >= 0x80;

const utf8 = (b: Uint8Array, start: number, end: number): string =>
  Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');

export const createTraceChecker = (options: MonitorOptions = {}): TraceChecker => {
  const monitor = createMonitor(options);
  const scan = createLineScanner();
  let lineNo = 0;
  let events = 0;
  let verdict: CheckResult | undefined;

  const step = (event: TraceEvent): CheckResult | undefined => {
    const violation = monitor.step(event);
    if (violation !== null) {
      verdict = {
        _tag: 'Violation',
        clause: violation.clause,
        line: lineNo,
        step: violation.step,
        explanation: violation.explanation,
      };
      return verdict;
    }
    events++;
    return undefined;
  };

  /** A line that is not blank, by the full path. */
  const decoded = (text: string): CheckResult | undefined => {
    const event = decodeTraceLine(text, lineNo);
    if (E.isLeft(event)) {
      verdict = { _tag: 'Malformed', line: lineNo, message: event.left.message };
      return verdict;
    }
    return step(event.right);
  };

  const bytes = (b: Uint8Array, start: number, stop: number): CheckResult | undefined => {
    if (verdict !== undefined) return verdict;
    lineNo++;
    // A CRLF file: the newline went, the carriage return stays.
    const end = stop > start && b[stop - 1] === CR ? stop - 1 : stop;
    if (end === start) return undefined;
    // The regular expression only for a line that starts like a blank one
    // (an event starts with "{"), whatever its length.
    if (mayBeBlank(b[start] as number)) {
      const text = utf8(b, start, end);
      return BLANK.test(text) ? undefined : decoded(text);
    }
    const event = scan(b, start, end);
    return event === undefined ? decoded(utf8(b, start, end)) : step(event);
  };

  return {
    line: (raw) => {
      if (!LONE_SURROGATE.test(raw)) {
        const b = Buffer.from(raw, 'utf8');
        return bytes(b, 0, b.length);
      }
      if (verdict !== undefined) return verdict;
      lineNo++;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      return mayBeBlank(text.charCodeAt(0)) && BLANK.test(text) ? undefined : decoded(text);
    },
    bytes,
    end: () => verdict ?? { _tag: 'Conforms', events, lines: lineNo },
  };
};

/** Check a whole trace given as text (JSON Lines). */
export const checkTraceText = (text: string, options: MonitorOptions = {}): CheckResult => {
  const checker = createTraceChecker(options);
  let start = 0;
  while (start < text.length) {
    let stop = text.indexOf('\n', start);
    if (stop < 0) stop = text.length;
    if (checker.line(text.slice(start, stop)) !== undefined) break;
    start = stop + 1;
  }
  return checker.end();
};

/**
 * Check a trace arriving in chunks (a file or a pipe), line by line: chunks
 * of bytes (UTF-8, cut anywhere) or of text, all of one kind. A chunk of
 * bytes may be reused by the source once the next one is asked for.
 */
export const checkTraceChunks = async (
  chunks: AsyncIterable<string | Uint8Array>,
  options: MonitorOptions = {},
): Promise<CheckResult> => {
  const checker = createTraceChecker(options);
  const lines = byteLines((b, start, end) => checker.bytes(b, start, end) === undefined);
  let rest = '';
  for await (const chunk of chunks) {
    if (typeof chunk !== 'string') {
      if (!lines.push(chunk)) return checker.end();
      continue;
    }
    const text = rest + chunk;
    let start = 0;
    for (let stop = text.indexOf('\n'); stop >= 0; stop = text.indexOf('\n', start)) {
      if (checker.line(text.slice(start, stop)) !== undefined) return checker.end();
      start = stop + 1;
    }
    rest = text.slice(start);
  }
  lines.end();
  if (rest.length > 0) checker.line(rest);
  return checker.end();
};
