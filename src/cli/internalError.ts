import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A bug in relspec, not something the user or the implementation did: one
 * line naming what failed, and a log file with the details (the stack), so
 * that the terminal never shows a stack trace. Returns the line.
 */
export const internalErrorLine = (what: string, error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const first = (message.split('\n')[0] ?? '').slice(0, 300);
  const details = error instanceof Error ? (error.stack ?? message) : String(error);
  const log = join(tmpdir(), `relspec-internal-error-${process.pid}-${Date.now()}.log`);
  try {
    writeFileSync(
      log,
      `relspec internal error while ${what}\nargv: ${JSON.stringify(process.argv)}\n${details}\n`,
    );
    return `internal error while ${what}: ${first} (details in ${log})`;
  } catch {
    return `internal error while ${what}: ${first}`;
  }
};
