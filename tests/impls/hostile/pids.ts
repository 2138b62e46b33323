import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Hostile implementations note every process they start in the folder
 * RELSPEC_HOSTILE_PIDS names, so that a test can check none outlives the run.
 */
export const notePid = (pid: number | undefined): void => {
  const dir = process.env.RELSPEC_HOSTILE_PIDS;
  if (dir !== undefined && pid !== undefined) writeFileSync(join(dir, String(pid)), '');
};

notePid(process.pid);
