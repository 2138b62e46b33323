import * as E from 'fp-ts/lib/Either.js';
import type { ClauseId } from '../../spec/model/clauses.ts';
import { createMonitor, type MonitorOptions } from '../../spec/model/monitor.ts';
import { decodeTraceLine } from './line.ts';

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
  /** The verdict at the end of the input. */
  readonly end: () => CheckResult;
}

const BLANK = /^\s*$/;

// ASCII spaces and controls, and every non-ASCII code unit (Unicode spaces).
const mayBeBlank = (c: number): boolean => c <= 0x20 || c >= 0x80;

export const createTraceChecker = (options: MonitorOptions = {}): TraceChecker => {
  const monitor = createMonitor(options);
  let lineNo = 0;
  let events = 0;
  let verdict: CheckResult | undefined;
  return {
    line: (raw) => {
      if (verdict !== undefined) return verdict;
      lineNo++;
      // A CRLF file: the newline went, the carriage return stays.
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      // The regular expression only for a line that starts like a blank one
      // (an event starts with "{"), whatever its length.
      if (text.length === 0 || (mayBeBlank(text.charCodeAt(0)) && BLANK.test(text))) {
        return undefined;
      }
      const event = decodeTraceLine(text, lineNo);
      if (E.isLeft(event)) {
        verdict = { _tag: 'Malformed', line: lineNo, message: event.left.message };
        return verdict;
      }
      const violation = monitor.step(event.right);
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
    },
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

/** Check a trace arriving in chunks of text (a file or a pipe), line by line. */
export const checkTraceChunks = async (
  chunks: AsyncIterable<string>,
  options: MonitorOptions = {},
): Promise<CheckResult> => {
  const checker = createTraceChecker(options);
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let stop = text.indexOf('\n'); stop >= 0; stop = text.indexOf('\n', start)) {
      if (checker.line(text.slice(start, stop)) !== undefined) return checker.end();
      start = stop + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) checker.line(rest);
  return checker.end();
};
