import { spawn } from 'node:child_process';

/** Run node with `args`, stdout collected, stderr passed through; resolves when it ends. */
export const runNode = (
  args: readonly string[],
): Promise<{ status: number | null; stdout: string }> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ status: code, stdout: out }));
  });
