import { fstatSync } from 'node:fs';
import type { Command } from 'commander';
import { type CheckResult, checkTraceChunks } from '../../check/checker.ts';
import { fileChunks } from '../../check/read.ts';
import { describeResult, exitCode, resultJson } from '../../check/report.ts';

const readTrace = async (file: string, assumptions: boolean): Promise<CheckResult> => {
  // Reading a directory on standard input gives no data and no error: say so.
  if (file === '-' && fstatSync(0).isDirectory()) {
    throw Object.assign(new Error('standard input is a directory'), { code: 'EISDIR' });
  }
  // Bytes, not text: the checker decodes only the lines it must.
  const chunks = file === '-' ? (process.stdin as AsyncIterable<Buffer>) : fileChunks(file);
  return checkTraceChunks(chunks, { assumptions });
};

export const register = (program: Command): void => {
  program
    .command('check')
    .argument('<trace>', 'a JSON Lines trace (spec/TRACE.md); "-" reads standard input')
    .description(
      'check a recorded trace against the guarantees: exit 0 conforms, 1 violation, 2 malformed',
    )
    .option('--json', 'print the verdict as one JSON object')
    .option('--no-assumptions', 'do not check the watcher assumptions A1-A4')
    .option('--profile <profile>', '2015, or juju-3 for a trace of spec/juju-3/TRACE.md', '2015')
    .action(
      async (file: string, options: { json?: boolean; assumptions: boolean; profile: string }) => {
        if (options.profile === 'juju-3') {
          const { checkJuju3Trace } = await import('../../juju3/cli/check.ts');
          process.exitCode = await checkJuju3Trace(file, (l) => process.stdout.write(`${l}\n`));
          return;
        }
        let result: CheckResult;
        try {
          result = await readTrace(file, options.assumptions);
        } catch (e) {
          const message = `cannot read ${file}: ${(e as Error).message}`;
          if (options.json === true)
            process.stdout.write(
              `${JSON.stringify({ file, verdict: 'unreadable', error: message })}\n`,
            );
          else process.stderr.write(`${message}\n`);
          process.exitCode = 2;
          return;
        }
        process.stdout.write(
          `${options.json === true ? resultJson(file, result) : describeResult(file, result)}\n`,
        );
        process.exitCode = exitCode(result);
      },
    );
};
