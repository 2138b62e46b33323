import { Command } from 'commander';
import { register as registerCheck } from './commands/check.ts';
import { register as registerConform } from './commands/conform.ts';
import { register as registerCrash } from './commands/crash.ts';
import { register as registerFixtures } from './commands/fixtures.ts';
import { register as registerServe } from './commands/serve.ts';
import { register as registerStatedir } from './commands/statedir.ts';
import { runDemo } from './demo.ts';

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

registerServe(program);
registerFixtures(program);
registerConform(program);
registerCrash(program);
registerCheck(program);
registerStatedir(program);

await program.parseAsync(process.argv);
