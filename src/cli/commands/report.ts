import type { Command } from 'commander';

const HELP = `
Reads what \`relspec conform --json <file>\` wrote (a run), or one
counterexample's relspec-failures/<id>.failure.json, and prints the summary
the terminal printed. With --html, also draws a failing scenario as a
timeline in one self-contained HTML file (no script, no network): each
request, the watcher's view, each source's queue and changedPending, the
hook offered, Validate's verdict, the files on disk, and expected against
got at the failing step. Format: spec/REPORT.md.

Exit codes: 0 read (the run's own verdict is in the text), 2 unreadable or
not a report document, or nothing to draw for --html.

Examples:
  relspec conform --impl "./my-agent" --json run.json; relspec report run.json
  relspec report relspec-failures/conform-well-behaved-exact-20150312.failure.json --html t.html
`;

export const register = (program: Command): void => {
  program
    .command('report')
    .description('print a saved conformance run or failure; --html draws its failing scenario')
    .argument('<file>', 'run.json (conform --json) or <id>.failure.json')
    .option('--html <out>', 'write the first failure as an HTML timeline')
    .option('--failure <n>', 'which failure of a run to draw (1-based)', '1')
    .addHelpText('after', HELP)
    .exitOverride((e) => {
      process.exit(e.exitCode === 0 ? 0 : 2);
    })
    .action(async (file: string, o: { html?: string; failure: string }) => {
      const { runReport } = await import('../../report/command.ts');
      process.exitCode = await runReport(
        file,
        o,
        (line) => process.stdout.write(`${line}\n`),
        (line) => process.stderr.write(`${line}\n`),
      );
    });
};
