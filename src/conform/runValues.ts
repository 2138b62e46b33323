import * as fc from 'fast-check';
import type { ConformOptions, ScenarioPhaseSpec } from './phases.ts';
import type { Scenario } from './scenario.ts';

/**
 * The scenarios fast-check tries, in order, for a phase run with the
 * options' seed: what `fc.check` hands the property when every run passes.
 * A worker that runs scenario i of this list runs what the i-th run of the
 * sequential phase would, so a failure found at index i shrinks from the
 * same value (fast-check's path "i").
 */
export const runValues = (spec: ScenarioPhaseSpec, options: ConformOptions): Scenario[] => {
  const values: Scenario[] = [];
  fc.check(
    fc.property(spec.arbitrary(options), (s) => {
      values.push(s);
      return true;
    }),
    { seed: options.seed, numRuns: options.runs },
  );
  return values;
};
