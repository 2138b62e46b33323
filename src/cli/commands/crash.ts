import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { parseCrashPoints, parseScenarios, runCrashCli, runReplayCli } from '../../crash/cli.ts';
import { PHASES } from '../../crash/index.ts';
import type { PhaseName } from '../../crash/phases.ts';
import { integer, REFERENCE_COMMAND } from './conform.ts';

export const register = (program: Command): void => {
  program
    .command('crash')
    .description(
      'the crash phases of conform --crash alone: kill, I/O errors and power cuts at each file call, under strace',
    )
    .option(
      '--impl <command>',
      'shell command that starts the implementation (default: relspec serve)',
    )
    .option(
      '--crash-points <all|n>',
      'points per phase (seeded sample) or all',
      parseCrashPoints,
      12,
    )
    .option(
      '--seed <n>',
      'seed of the generated scenarios and of the sampling',
      (raw) => Number(raw),
      20150312,
    )
    .option('--scenarios <n>', 'scenarios generated from the seed', parseScenarios, 2)
    .option('--replay <file>', 'run again the one failing point a replay file names')
    .addOption(new Option('--phase <name>', 'run only this phase').choices([...PHASES]))
    .option('--failures <dir>', 'where replay files of failures are written', 'relspec-failures')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', (raw) => Number(raw), 30000)
    .option(
      '--jobs <n>',
      'crash points run at once, each in its own directory (same report as 1)',
      integer('--jobs', 1),
      availableParallelism(),
    )
    .exitOverride((e) => {
      process.exit(e.exitCode === 0 ? 0 : 2);
    })
    .action(
      async (o: {
        impl?: string;
        crashPoints: number | 'all';
        seed: number;
        phase?: PhaseName;
        failures: string;
        timeout: number;
        scenarios: number;
        replay?: string;
        jobs: number;
      }) => {
        if (!Number.isSafeInteger(o.seed) || !Number.isSafeInteger(o.timeout) || o.timeout < 1) {
          process.stderr.write('relspec crash: --seed and --timeout must be integers\n');
          process.exitCode = 2;
          return;
        }
        if (o.replay !== undefined) {
          process.exitCode = await runReplayCli(
            o.replay,
            { ...(o.impl === undefined ? {} : { command: o.impl }), timeoutMs: o.timeout },
            (line) => process.stdout.write(`${line}\n`),
          );
          return;
        }
        process.exitCode = await runCrashCli(
          {
            command: o.impl ?? REFERENCE_COMMAND,
            crashPoints: o.crashPoints,
            seed: o.seed,
            failuresDir: o.failures,
            timeoutMs: o.timeout,
            scenarios: o.scenarios,
            jobs: o.jobs,
            ...(o.phase === undefined ? {} : { phases: [o.phase] }),
          },
          (line) => process.stdout.write(`${line}\n`),
        );
      },
    );
};
