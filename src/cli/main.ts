import { Command } from 'commander';
import { runDemo } from './demo.ts';
import { internalErrorLine } from './internalError.ts';

type Register = (program: Command) => void;

// Each command module is loaded only when needed: `relspec serve` is started
// once per conformance run and per test, and must not pay for the oracle.
const COMMANDS: Readonly<Record<string, () => Promise<{ register: Register }>>> = {
  serve: () => import('./commands/serve.ts'),
  conform: () => import('./commands/conform.ts'),
  fixtures: () => import('./commands/fixtures.ts'),
  check: () => import('./commands/check.ts'),
  statedir: () => import('./commands/statedir.ts'),
  crash: () => import('./commands/crash.ts'),
  report: () => import('./commands/report.ts'),
};

const program = new Command();

program
  .name('relspec')
  .description(
    "Specification and reference implementation of Juju's relation hook scheduling (2015).",
  )
  .showHelpAfterError();

program
  .command('demo', { isDefault: true })
  .description('run the reference scheduler on a built-in watcher stream and print the hooks')
  .action(() => {
    process.exitCode = runDemo((line) => process.stdout.write(`${line}\n`));
  });

// A bug in relspec is one line naming what failed, exit 2, and a log file
// with the details; never a stack trace on the terminal.
const what = `running "relspec ${process.argv.slice(2, 4).join(' ')}"`;
const die = (e: unknown) => {
  process.stderr.write(`relspec: ${internalErrorLine(what, e)}\n`);
  process.exit(2);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

const wanted = process.argv[2];
const only = wanted !== undefined ? COMMANDS[wanted] : undefined;
try {
  for (const load of only !== undefined ? [only] : Object.values(COMMANDS)) {
    (await load()).register(program);
  }
  await program.parseAsync(process.argv);
} catch (e) {
  die(e);
}
