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

const MERGE_HELP = `
Joins the --json documents of the n shards of one run (relspec conform
--shard k/n --json shard-k.json, one per CI job) into the whole run: phases
and rule ids add their counts, failures and advisories are listed shard by
shard (the same advisory counted once), and the verdict is the worst
shard's. Every shard 1/n to n/n must be given exactly once, all from the
same implementation, level, seed, runs, max steps and fixtures; otherwise
nothing is merged. Format: spec/REPORT.md, "Merging documents".

Exit codes: the merged run's (0 conforms, 1 nonconformance, 2 a shard could
not complete), or 2 when the documents cannot be merged.

Example:
  relspec conform --impl ./my-agent --shard 1/2 --json s1.json   # CI job 1
  relspec conform --impl ./my-agent --shard 2/2 --json s2.json   # CI job 2
  relspec report merge s1.json s2.json --json run.json
`;

export const register = (program: Command): void => {
  const report = program
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
  report
    .command('merge')
    .description("join the --json documents of one run's shards into one verdict")
    .argument('<shards...>', 'run documents written by conform --shard k/n --json')
    .option('--json <file>', 'write the merged run document here')
    .addHelpText('after', MERGE_HELP)
    .exitOverride((e) => {
      process.exit(e.exitCode === 0 ? 0 : 2);
    })
    .action(async (files: string[], o: { json?: string }) => {
      const { runMerge } = await import('../../report/command.ts');
      process.exitCode = await runMerge(
        files,
        o,
        (line) => process.stdout.write(`${line}\n`),
        (line) => process.stderr.write(`${line}\n`),
      );
    });
};
