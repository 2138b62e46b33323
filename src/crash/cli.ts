import { InvalidArgumentError } from 'commander';
import { printCrashReport, runCrashPhases } from './index.ts';
import type { PhaseName } from './phases.ts';
import { replayCrash } from './replay.ts';

// The command-line side of the crash phases, shared by `relspec crash` and
// `relspec conform --crash`.

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
  /** Scenarios generated from the seed (default 2). */
  readonly scenarios?: number;
  /** Points run at once (--jobs). */
  readonly jobs?: number;
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
    ...(flags.scenarios === undefined ? {} : { scenarios: flags.scenarios }),
    ...(flags.jobs === undefined ? {} : { jobs: flags.jobs }),
    progress: process.stderr.isTTY ? (line) => process.stderr.write(`  ${line}\n`) : () => {},
  });
  printCrashReport(report, out);
  return report.exitCode;
};

/** `relspec crash --replay <file>`: runs the point again and prints its verdict; the exit code. */
export const runReplayCli = async (
  file: string,
  options: { readonly command?: string; readonly timeoutMs: number },
  out: (line: string) => void,
): Promise<number> => {
  const outcome = await replayCrash(file, {
    ...(options.command === undefined ? {} : { command: options.command }),
    cwd: process.cwd(),
    timeoutMs: Math.max(options.timeoutMs, 30000),
  });
  for (const line of outcome.lines) out(line);
  return outcome.exitCode;
};

/** `--scenarios <n>`: an integer >= 1. */
export const parseScenarios = (raw: string): number => {
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
    throw new InvalidArgumentError(
      `--scenarios must be an integer from 1 to 1000, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
};
