import type { TraceEvent } from '../trace.ts';
import type { Verdict } from './monitor.ts';
import { formatTrace } from './pretty.ts';

/** One line for a violation: `G8b at step 12: relation-changed foo/1 v3 but foo/0 has waited longer`. */
export const describeVerdict = (v: Verdict): string =>
  v.ok
    ? `conforms (${v.steps} events)`
    : `${v.violation.clause} at step ${v.violation.step}: ${v.violation.explanation}`;

/** The trace as a step list with the violating step marked and the verdict last. */
export const formatVerdict = (trace: readonly TraceEvent[], v: Verdict): string =>
  formatTrace(trace, {
    ...(v.ok ? {} : { mark: v.violation.step }),
    footer: describeVerdict(v),
  });
