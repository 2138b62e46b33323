import { type Command, InvalidArgumentError, Option } from 'commander';
import { PHASES, printCrashReport, runCrashPhases } from '../../crash/index.ts';
import type { PhaseName } from '../../crash/phases.ts';
import { REFERENCE_COMMAND } from './conform.ts';

/** `--crash-points all|<n>`: the full sweep, or n sampled points per phase. */
export const parseCrashPoints = (raw: string): number | 'all' => {
  if (raw === 'all') return 'all';
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) {
    throw new InvalidArgumentError(
      `--crash-points must be "all" or an integer >= 1, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
};

export interface CrashFlags {
  readonly command: string;
  readonly crashPoints: number | 'all';
  readonly seed: number;
  readonly failuresDir: string;
  readonly timeoutMs: number;
  readonly phases?: readonly PhaseName[];
}

/**
 * Runs the crash phases and prints the report; returns the exit code
 * (0 passed or not run because strace is missing, 1 failures, 2 setup error).
 */
export const runCrashCli = async (
  flags: CrashFlags,
  out: (line: string) => void,
): Promise<number> => {
  out('');
  out('crash phases (process kill, I/O errors, power cut) under strace...');
  const report = await runCrashPhases({
    command: flags.command,
    crashPoints: flags.crashPoints,
    seed: flags.seed,
    failuresDir: flags.failuresDir,
    // Starting under strace is slow; the first answer may take a while.
    timeoutMs: Math.max(flags.timeoutMs, 30000),
    ...(flags.phases === undefined ? {} : { phases: flags.phases }),
    progress: process.stderr.isTTY ? (line) => process.stderr.write(`  ${line}\n`) : () => {},
  });
  printCrashReport(report, out);
  return report.exitCode;
};

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
    .option('--seed <n>', 'sampling seed', (raw) => Number(raw), 20150312)
    .addOption(new Option('--phase <name>', 'run only this phase').choices([...PHASES]))
    .option('--failures <dir>', 'where replay files of failures are written', 'relspec-failures')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', (raw) => Number(raw), 30000)
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
      }) => {
        if (!Number.isSafeInteger(o.seed) || !Number.isSafeInteger(o.timeout) || o.timeout < 1) {
          process.stderr.write('relspec crash: --seed and --timeout must be integers\n');
          process.exitCode = 2;
          return;
        }
        process.exitCode = await runCrashCli(
          {
            command: o.impl ?? REFERENCE_COMMAND,
            crashPoints: o.crashPoints,
            seed: o.seed,
            failuresDir: o.failures,
            timeoutMs: o.timeout,
            ...(o.phase === undefined ? {} : { phases: [o.phase] }),
          },
          (line) => process.stdout.write(`${line}\n`),
        );
      },
    );
};
