import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../src/package/root.ts';
import { runNode } from './child.ts';
import type { BenchRow } from './row.ts';

// `relspec crash --crash-points all` on the reference (the compiled CLI, as
// installed): every mutating system call of the generated scenarios, killed,
// failed and cut, with as many jobs as the machine has cores (the default).
// The target is a whole run under 10 minutes. A crash point is one event:
// the sum of the "crash points tried" columns of the three tables.

const TARGET_SECONDS = 600;

export const benchCrash = async (): Promise<BenchRow> => {
  const entry = packagePath('dist', 'cli', 'relspec.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  if (spawnSync('strace', ['-V']).status !== 0) {
    throw new Error(
      'strace is not installed: the crash phases cannot run (apt-get install strace)',
    );
  }
  const jobs = availableParallelism();
  const failures = await mkdtemp(join(tmpdir(), 'relspec-bench-crash-'));
  try {
    const t0 = performance.now();
    const { status, stdout } = await runNode([
      entry,
      'crash',
      '--crash-points',
      'all',
      '--jobs',
      String(jobs),
      '--failures',
      failures,
    ]);
    const seconds = (performance.now() - t0) / 1000;
    if (status !== 0) throw new Error(`bench crash: exited ${status}:\n${stdout}`);
    // Table rows: | kind | calls | tried | recovered | failures |
    let points = 0;
    for (const m of stdout.matchAll(/^\| [a-z -]+\| +\d+ \| +(\d+) \|/gm)) points += Number(m[1]);
    return {
      name: 'crash --crash-points all',
      size: `reference, --jobs ${jobs}`,
      event: 'crash point',
      events: points,
      seconds,
      anchor: `${(seconds / 60).toFixed(1)} min (target < ${TARGET_SECONDS / 60} min: ${seconds < TARGET_SECONDS ? 'met' : 'missed'})`,
      notes: 'process kill, I/O error and power-cut points of every mutating call, under strace',
    };
  } finally {
    await rm(failures, { recursive: true, force: true });
  }
};
