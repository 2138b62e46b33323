import * as fc from 'fast-check';
import type { JudgeLevel } from '../fixtures/judge.ts';
import type { CheckContext, Outcome } from './check.ts';
import { stepList } from './format.ts';
import type { Level, RunContext, ScenarioPhaseSpec } from './phases.ts';
import type { Scenario } from './scenario.ts';

/**
 * Advisories: hardenings met at level exact, where the implementation is as
 * lenient as Juju and less strict than relspec (spec/RULES.md, "Rule
 * classes"). They do not fail a run; each is reported once per phase and
 * rule with its count and its first example, shrunk where it came from a
 * generated scenario.
 */
export interface AdvisoryReport {
  readonly phase: string;
  readonly rule: string;
  readonly count: number;
  /** The first example: where it is, or the shrunk scenario's numbered steps. */
  readonly lines: readonly string[];
}

/** The judge's level for a conform level (guarantees replays fixtures as exact does). */
export const judgeLevel = (level: Level): JudgeLevel => (level === 'strict' ? 'strict' : 'exact');

interface Entry {
  count: number;
  lines: readonly string[];
  run: number | undefined;
}

/** One phase's advisories, by rule, in the order first met. */
export class Advisories {
  private readonly byRule = new Map<string, Entry>();

  constructor(private readonly phase: string) {}

  /** Count one; the first keeps its example (and its run, to shrink it later). */
  note(rule: string, lines: () => readonly string[], run?: number): void {
    const entry = this.byRule.get(rule);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    this.byRule.set(rule, { count: 1, lines: lines(), run });
  }

  reports(): AdvisoryReport[] {
    return [...this.byRule].map(([rule, e]) => ({ phase: this.phase, rule, ...e }));
  }

  /** The reports, with each generated example replaced by its shrunk form when there is one. */
  async shrunk(
    shrink: (run: number, rule: string) => Promise<readonly string[] | undefined>,
  ): Promise<AdvisoryReport[]> {
    const out: AdvisoryReport[] = [];
    for (const [rule, e] of this.byRule) {
      const lines = e.run === undefined ? undefined : await shrink(e.run, rule);
      out.push({ phase: this.phase, rule, count: e.count, lines: lines ?? e.lines });
    }
    return out;
  }
}

// Smaller scenarios tried at most once one has met the advisory.
const MAX_ADVISORY_SHRINK_TRIES = 1000;

/**
 * Shrink the scenario of run `run` of a phase to a minimal one that still
 * meets `rule`'s advisory, by replaying fast-check from that run's path.
 */
export const shrinkAdvisory = async (
  spec: ScenarioPhaseSpec,
  ctx: RunContext,
  checkCtx: (path: string) => CheckContext,
  check: (c: CheckContext, s: Scenario) => Promise<Outcome>,
  run: number,
  rule: string,
): Promise<readonly string[] | undefined> => {
  const { options } = ctx;
  const started = performance.now();
  let last: Outcome | undefined;
  let tries = 0;
  const meets = (o: Outcome) => (o.advisories ?? []).find((a) => a.rule === rule);
  const property = fc.asyncProperty(spec.arbitrary(options), async (scenario) => {
    // A count of candidates bounds shrinking the same way on any machine; the time is a net.
    if (last !== undefined) tries += 1;
    if (
      last !== undefined &&
      (tries > MAX_ADVISORY_SHRINK_TRIES ||
        performance.now() - started > (options.shrinkBudgetMs ?? 300_000))
    ) {
      return true;
    }
    const outcome = await check(checkCtx(''), scenario);
    if (outcome.mismatch !== undefined || meets(outcome) === undefined) return true;
    last = outcome;
    return false;
  });
  const details = await fc.check(property, {
    seed: options.seed,
    path: String(run),
    endOnFailure: false,
  });
  if (last === undefined || details.counterexample === null) return undefined;
  const advisory = meets(last);
  if (advisory === undefined) return undefined;
  const path = details.counterexamplePath ?? '';
  return [
    `  ${advisory.message}`,
    `  shrunk example (${advisory.step} protocol steps; seed ${options.seed}, path ${JSON.stringify(path)}):`,
    ...stepList({
      ...last,
      mismatch: { _tag: 'Drift', step: advisory.step, message: advisory.message },
    }).map((l) => `  ${l}`),
  ];
};
