import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { compilePlan, type Plan, planArb } from './generate.ts';
import { type Checker, type PhaseName, powerCutStep } from './phases.ts';
import { callPoint, describePoint, firstFailingCut, runCallPoint, targetAt } from './points.ts';
import { type RunOptions, record } from './record.ts';
import type { ReplayPoint } from './replayFile.ts';
import { type Scenario, stepKind } from './scenario.ts';

// Shrinking a failure over the whole scenario: fast-check shrinks the plan
// (fewer moves, fewer relations, simpler moves); each candidate is
// recorded, and the point that stands for the failure (same phase, same
// request kind, same position of the call in the request) is run again.

/** Candidates tried per failure at most (each is a recording and a run). */
export const SHRINK_RUNS = 16;

export interface Shrunk {
  readonly scenario: Scenario;
  readonly point: ReplayPoint;
  /** The point as the report names it. */
  readonly what: string;
  readonly reason: string;
}

/** Runs the point standing for the failure in `scenario`; the failure, if it still fails. */
const tryScenario = async (
  run: RunOptions,
  scenario: Scenario,
  phase: PhaseName,
  point: ReplayPoint,
  kind: string,
  check: Checker,
  root: string,
  limit: number,
): Promise<Shrunk | undefined> => {
  if (!scenario.steps.some((s) => stepKind(s) === kind)) return undefined;
  const recorded = await record(run, scenario, root);
  if (E.isLeft(recorded)) return undefined;
  const recording = recorded.right;
  const requests = recording.steps.filter((s) => stepKind(s.step) === kind && s.calls.length > 0);
  if (point.kind === 'call') {
    const rec = [...requests]
      .reverse()
      .find((s) => s.calls[point.call - 1]?.syscall === point.syscall);
    const call = rec?.calls[point.call - 1];
    if (rec === undefined || call === undefined) return undefined;
    const target = targetAt(rec.index, call, point);
    const verdict = await runCallPoint(run, phase, scenario, recording, target, check, root);
    return verdict._tag === 'Failed'
      ? {
          scenario,
          point: callPoint(target),
          what: describePoint(phase, target, recording.base),
          reason: verdict.reason,
        }
      : undefined;
  }
  const rec = requests[requests.length - 1];
  if (rec === undefined) return undefined;
  const results = await powerCutStep(scenario, recording, rec.index, check, root, limit);
  const first = firstFailingCut(results);
  return first !== undefined && first.verdict._tag === 'Failed'
    ? { scenario, point: first.point, what: first.what, reason: first.verdict.reason }
    : undefined;
};

/** The smallest failing scenario fast-check finds from `plan` within the budget. */
export const shrinkPlan = async (
  run: RunOptions,
  plan: Plan,
  phase: PhaseName,
  point: ReplayPoint,
  kind: string,
  check: Checker,
  root: string,
  options: { readonly limit: number; readonly name: string },
): Promise<Shrunk | undefined> => {
  let budget = SHRINK_RUNS;
  let best: Shrunk | undefined;
  const original = JSON.stringify(plan);
  const property = fc.asyncProperty(planArb(Math.max(1, plan.moves.length)), async (candidate) => {
    // The failure itself is known to fail: shrinking starts from it.
    if (JSON.stringify(candidate) === original) return false;
    if (budget <= 0) return true;
    budget -= 1;
    const scenario = compilePlan(candidate, `${options.name}, shrunk`);
    const failed = await tryScenario(run, scenario, phase, point, kind, check, root, options.limit);
    if (failed === undefined) return true;
    best = failed;
    return false;
  });
  await fc.check(property, { examples: [[plan]], numRuns: 1, seed: 0, endOnFailure: false });
  return best;
};
