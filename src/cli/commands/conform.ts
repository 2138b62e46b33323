import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_GIVE_UP_AFTER } from '../../conform/impl.ts';
import { SCENARIO_PHASE_NAMES } from '../../conform/phaseNames.ts';
import type { ConformOptions, Level } from '../../conform/phases.ts';
import { parseShard, type Shard } from '../../conform/shard.ts';
import { parseCrashPoints, runCrashCli } from '../../crash/cli.ts';
import { JUJU3_PHASES } from '../../juju3/conform/phaseNames.ts';
import { FIXTURES_DIR, REFERENCE_COMMAND } from '../../package/root.ts';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_OUTPUT_BYTES } from '../../runner/client.ts';
import { exitCleanlyOnSignals } from '../../runner/reaper.ts';

/** The built-in reference, as a child process: the protocol path is exercised too. */
export { REFERENCE_COMMAND };

const DEFAULT_FIXTURES = FIXTURES_DIR;

export const DEFAULT_SEED = 20150312;
export const DEFAULT_RUNS = 200;

/** An integer option of at least `min` (--jobs of conform and crash alike). */
export const integer =
  (name: string, min: number) =>
  (raw: string): number => {
    if (!/^-?[0-9]+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min) {
      throw new InvalidArgumentError(
        `${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`,
      );
    }
    return Number(raw);
  };

const shard = (raw: string): Shard => {
  const parsed = parseShard(raw);
  if (E.isLeft(parsed)) throw new InvalidArgumentError(parsed.left);
  return parsed.right;
};

const HELP = `
Phases: hello (protocol 1, features), golden fixtures (--fixtures), then
generated scenarios (phases: ${SCENARIO_PHASE_NAMES.join(', ')}):
watcher streams obeying A1-A4, consumer schedules, state directories in a
temporary folder, restarts, the switch to dying. At level exact the phases
"A1 broken" to "A4 broken" insert one watcher change that breaks that
assumption, and "API misuse" inserts requests an agent never sends (next or
pop on an empty source, updates on list and dying sources, unknown names);
errors whose text behaviour.md does not fix only need to be errors, and a
scenario ends at the first failed update. Every scenario runs on the in-process
reference and on the implementation; a failure is shrunk to a minimal
scenario, printed as a numbered step list, and written as a fixture.

Parallel and sharded runs: --jobs N runs scenarios on N implementation
processes at once (default: the number of CPUs); the verdict, the tallies
and every counterexample are those of --jobs 1. --shard k/n runs the k-th
of n deterministic shares (run i of a phase when i mod n = k-1, fixtures
likewise), so n CI jobs with one seed cover the whole run between them.
The crash phases (--crash) honour --jobs too: N crash points run at once,
each in its own directory, and the report (tallies, failures, the shrunk
scenario, the replay files) is that of --jobs 1.

Levels (rule classes: spec/RULES.md, "Rule classes"):
  exact       behaves as Juju's 2015 code: every result equals the
              reference's where Juju's outcome is defined (error texts where
              behaviour.md fixes them); any member of a stated choice passes
              (any order of injected departures, either decoder's text); at
              an undefined point (Go panicked) any error or a death passes and
              that object is not compared further; where relspec is stricter
              than Juju (hardening) a difference is an advisory, not a failure
  strict      as exact, and every advisory is a failure: relspec's hardenings
              (unit names, confinement, ranges, initial states, protocol
              hygiene) are required
  guarantees  the implementation's own trace must satisfy every clause of
              spec/GUARANTEES.md, with a domain error wherever the reference has one

Limits: a response line longer than --max-line, more than --max-output
bytes in one scenario, a write outside the scenario's directory (anything
new in the run's temporary folder or in the working directory) are
failures. After --give-up-after sessions in a row time out or die, the run
stops with the verdict it has. Ctrl-C kills the implementation's process
group and removes the temporary folder.

Exit codes:
  0  the implementation conforms (advisories may be printed)
  1  nonconformance found (failures printed, counterexamples written)
  2  usage or setup error: bad option, implementation does not start,
     hello failed, unreadable fixtures

Profile juju-3 (--profile juju-3): today's Juju resolver (spec/juju-3/);
fixtures/juju-3, then the phases one relation, several relations, restarts,
bad input; levels exact, strict (hardenings fail too) and guarantees.

Examples:
  relspec conform                                  # the built-in reference
  relspec conform --profile juju-3 --level strict  # today's Juju, strictly
  relspec conform --impl "./my-agent --protocol"   # your implementation
  relspec conform --impl "python3 impl.py" --level guarantees --runs 1000
`;

export const register = (program: Command): void => {
  program
    .command('conform')
    .description('test an implementation against the reference through the driver protocol')
    .option(
      '--impl <command>',
      'shell command that starts the implementation (default: relspec serve)',
    )
    .addOption(
      new Option('--level <level>', 'what must agree')
        .choices(['exact', 'strict', 'guarantees'])
        .default('exact'),
    )
    .addOption(
      new Option('--profile <profile>', 'which Juju behaviour to check against')
        .choices(['2015', 'juju-3'])
        .default('2015'),
    )
    .option('--runs <n>', 'scenarios per scenario phase', integer('--runs', 0), DEFAULT_RUNS)
    .option('--seed <n>', 'fast-check seed', integer('--seed', -2147483648), DEFAULT_SEED)
    .option(
      '--path <path>',
      'replay the counterexample at this fast-check path (with --seed, --phase)',
    )
    .addOption(
      new Option('--phase <name>', 'run only this scenario phase').choices([
        ...SCENARIO_PHASE_NAMES,
        ...JUJU3_PHASES,
      ]),
    )
    .option('--timeout <ms>', 'per-request timeout in milliseconds', integer('--timeout', 1), 5000)
    .option(
      '--start-timeout <ms>',
      'how long start-up and hello may take (default: --timeout)',
      integer('--start-timeout', 1),
    )
    .option(
      '--max-line <bytes>',
      'longest response line accepted',
      integer('--max-line', 1),
      DEFAULT_MAX_LINE_BYTES,
    )
    .option(
      '--max-output <bytes>',
      'most output accepted per scenario',
      integer('--max-output', 1),
      DEFAULT_MAX_OUTPUT_BYTES,
    )
    .option(
      '--give-up-after <n>',
      'stop after this many sessions in a row time out or die',
      integer('--give-up-after', 1),
      DEFAULT_GIVE_UP_AFTER,
    )
    .option('--fixtures <dir>', 'golden fixtures to replay first', DEFAULT_FIXTURES)
    .option('--no-fixtures', 'skip the golden fixtures')
    .option('--failures <dir>', 'where counterexample fixtures are written', 'relspec-failures')
    .option('--max-steps <n>', 'longest generated scenario', integer('--max-steps', 1), 25)
    .option('--fail-fast', 'stop after the first phase that finds a failure')
    .option(
      '--jobs <n>',
      'implementation processes run at once (same results and counterexamples as 1)',
      integer('--jobs', 1),
      availableParallelism(),
    )
    .option(
      '--shard <k/n>',
      "run only the k-th of n shares of every phase's scenarios and fixtures",
      shard,
    )
    .option('--json <file>', 'also write the run as one JSON document (spec/REPORT.md)')
    .option('--crash', 'then the crash phases under strace: process kill, I/O errors, power cut')
    .option(
      '--crash-points <all|n>',
      'crash points per phase (seeded sample) or all',
      parseCrashPoints,
      12,
    )
    .addHelpText('after', HELP)
    // Usage errors exit 2 (1 means nonconformance); help exits 0.
    .exitOverride((e) => {
      process.exit(e.exitCode === 0 ? 0 : 2);
    })
    .action(
      async (
        o: {
          impl?: string;
          level: Level;
          runs: number;
          seed: number;
          path?: string;
          phase?: string;
          timeout: number;
          startTimeout?: number;
          maxLine: number;
          maxOutput: number;
          giveUpAfter: number;
          fixtures: string | false;
          failures: string;
          maxSteps: number;
          crash?: boolean;
          failFast?: boolean;
          json?: string;
          crashPoints: number | 'all';
          jobs: number;
          shard?: Shard;
          profile: string;
        },
        command: Command,
      ) => {
        if (o.profile === 'juju-3') {
          // Said, not silently ignored: a user would believe a run was sharded or saved.
          const unsupported = ['json', 'shard', 'crash', 'jobs'].filter(
            (k) => command.getOptionValueSource(k) === 'cli',
          );
          if (unsupported.length > 0) {
            process.stderr.write(
              `relspec conform --profile juju-3: ${unsupported.map((k) => `--${k}`).join(', ')} not supported with this profile (2015 only)\n`,
            );
            process.exitCode = 2;
            return;
          }
          const { runJuju3Cli } = await import('../../juju3/cli/conform.ts');
          process.exitCode = await runJuju3Cli(o);
          return;
        }
        if ((JUJU3_PHASES as readonly string[]).includes(o.phase ?? '')) {
          process.stderr.write(`--phase ${o.phase} exists only with --profile juju-3\n`);
          process.exitCode = 2;
          return;
        }
        // Found out before the run, not after minutes of it.
        if (o.json !== undefined && !existsSync(dirname(resolve(o.json)))) {
          process.stderr.write(
            `relspec conform: --json ${o.json}: no directory ${dirname(resolve(o.json))}\n`,
          );
          process.exitCode = 2;
          return;
        }
        const options: ConformOptions = {
          command: o.impl ?? REFERENCE_COMMAND,
          level: o.level,
          runs: o.runs,
          seed: o.seed,
          ...(o.path !== undefined ? { path: o.path } : {}),
          ...(o.phase !== undefined ? { phase: o.phase } : {}),
          timeoutMs: o.timeout,
          ...(o.startTimeout !== undefined ? { startTimeoutMs: o.startTimeout } : {}),
          maxLineBytes: o.maxLine,
          maxOutputBytes: o.maxOutput,
          giveUpAfter: o.giveUpAfter,
          // A write that lands in the working directory is one outside the scenario.
          watch: [process.cwd()],
          fixturesDir: o.fixtures === false ? null : o.fixtures,
          fixturesOptional: o.fixtures === DEFAULT_FIXTURES,
          failuresDir: o.failures,
          maxSteps: o.maxSteps,
          ...(o.failFast === true ? { failFast: true } : {}),
          jobs: o.jobs,
          ...(o.shard !== undefined ? { shard: o.shard } : {}),
        };
        exitCleanlyOnSignals();
        // Loaded here, not at start-up: `relspec serve` should not pay for the oracle.
        const { runConform } = await import('../../conform/run.ts');
        const { barProgress, lineProgress } = await import('../../conform/progress.ts');
        const out = (line: string) => process.stdout.write(`${line}\n`);
        const progress = process.stderr.isTTY ? barProgress() : lineProgress(out);
        const result = await runConform(options, out, progress);
        process.exitCode = result.exitCode;
        if (o.json !== undefined) {
          const { runDocument } = await import('../../report/document.ts');
          const { writeJsonAtomically } = await import('../../report/write.ts');
          const written = await writeJsonAtomically(o.json, runDocument(options, result));
          if (written._tag === 'Left') {
            process.stderr.write(`relspec conform: ${written.left}\n`);
            process.exitCode = 2;
          }
        }
        if (o.crash === true && result.exitCode !== 2) {
          const crash = await runCrashCli(
            {
              command: options.command,
              crashPoints: o.crashPoints,
              seed: o.seed,
              failuresDir: o.failures,
              timeoutMs: o.timeout,
              jobs: o.jobs,
            },
            out,
          );
          process.exitCode = Math.max(result.exitCode, crash);
        }
      },
    );
};
