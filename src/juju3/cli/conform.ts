import { join } from 'node:path';
import { packagePath, selfCommand } from '../../package/root.ts';
import type { Level } from '../conform/compare.ts';
import { JUJU3_PHASES } from '../conform/phaseNames.ts';
import { runJuju3Conform } from '../conform/run.ts';

export const JUJU3_FIXTURES = packagePath('fixtures', 'juju-3');
export const JUJU3_REFERENCE_COMMAND = `${selfCommand('serve')} --profile juju-3`;

/** The options `relspec conform` parsed, as far as the juju-3 profile reads them. */
export interface Juju3CliOptions {
  readonly impl?: string;
  readonly level: string;
  readonly runs: number;
  readonly seed: number;
  readonly phase?: string;
  readonly path?: string;
  readonly timeout: number;
  readonly fixtures: string | false;
  readonly failures: string;
  readonly maxSteps: number;
  readonly failFast?: boolean;
}

export const runJuju3Cli = async (o: Juju3CliOptions): Promise<number> => {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (o.phase !== undefined && !(JUJU3_PHASES as readonly string[]).includes(o.phase)) {
    process.stderr.write(`--phase for juju-3 is one of: ${JUJU3_PHASES.join(', ')}\n`);
    return 2;
  }
  // The 2015 fixtures are the default of the shared option; juju-3 has its own folder.
  const fixtures =
    o.fixtures === false
      ? null
      : o.fixtures.endsWith(join('fixtures')) || o.fixtures === 'fixtures'
        ? JUJU3_FIXTURES
        : o.fixtures;
  return runJuju3Conform(
    o.impl ?? JUJU3_REFERENCE_COMMAND,
    o.timeout,
    {
      level: o.level as Level,
      runs: o.runs,
      seed: o.seed,
      maxSteps: o.maxSteps,
      fixturesDir: fixtures,
      failuresDir: o.failures,
      failFast: o.failFast === true,
      ...(o.phase !== undefined ? { phase: o.phase } : {}),
      ...(o.path !== undefined ? { path: o.path } : {}),
    },
    out,
  );
};
