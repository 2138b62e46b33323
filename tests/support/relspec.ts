import { spawn } from 'node:child_process';

/** What a run of the command line printed, and how it ended. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `relspec <args>` from the sources, as a user would run the command. */
export const relspec = (...args: string[]): Promise<CliRun> =>
  new Promise((done) => {
    const child = spawn(process.execPath, ['bin/relspec.js', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
