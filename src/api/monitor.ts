/**
 * `relspec/monitor`: the guarantees of spec/GUARANTEES.md as a monitor over
 * a trace (spec/TRACE.md). `checkTrace(events)` gives the verdict for
 * decoded events; `checkTraceText(jsonl)` and `checkTraceChunks(stream)`
 * (chunks of bytes, the fast path, or of text) read the JSON Lines form, as
 * `relspec check` does.
 */

export { CLAUSE_IDS } from '../../spec/model/clauses.ts';
export {
  checkTrace,
  createMonitor,
  type Monitor,
  type MonitorOptions,
  type Verdict,
  type Violation,
} from '../../spec/model/monitor.ts';
export { describeVerdict, formatVerdict } from '../../spec/model/report.ts';
export { TraceEvent } from '../../spec/trace.ts';
export {
  type CheckResult,
  checkTraceChunks,
  checkTraceText,
  createTraceChecker,
  type TraceChecker,
} from '../check/checker.ts';
export { describeResult } from '../check/report.ts';
