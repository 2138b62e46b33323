import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RUNS, DEFAULT_SEED } from '../../src/cli/commands/conform.ts';
import type { ConformOptions } from '../../src/conform/phases.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { type ConformResult, runConform } from '../../src/conform/run.ts';

/**
 * Real failures to report on: the single-rule mutant whose dying source
 * departs in reverse order, caught by a golden fixture and, without the
 * fixtures, by the generated phases. Each run happens once per process.
 */
export const MUTANT = `node --import tsx ${join('tests', 'impls', 'mutants', 'serve.ts')} R-DYING-ORDER`;

export interface ReportRun {
  readonly options: ConformOptions;
  readonly result: ConformResult;
  /** What conform printed. */
  readonly lines: readonly string[];
}

const runs = new Map<string, Promise<ReportRun>>();

export const mutantRun = (fixtures: boolean): Promise<ReportRun> => {
  const key = String(fixtures);
  let run = runs.get(key);
  if (run === undefined) {
    run = (async () => {
      const root = await mkdtemp(join(tmpdir(), 'relspec-report-'));
      const options: ConformOptions = {
        command: MUTANT,
        level: 'exact',
        runs: DEFAULT_RUNS,
        seed: DEFAULT_SEED,
        timeoutMs: 20_000,
        fixturesDir: fixtures ? 'fixtures' : null,
        failuresDir: join(root, 'failures'),
        maxSteps: 25,
        shrinkBudgetMs: 600_000,
        failFast: true,
      };
      const lines: string[] = [];
      const result = await runConform(options, (l) => lines.push(l), silentProgress);
      return { options, result, lines };
    })();
    runs.set(key, run);
  }
  return run;
};
