import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Reuse, reuse } from './attach.ts';
import { type Checker, checker, type Verdict } from './phases.ts';
import { withoutRoot } from './points.ts';
import type { RunOptions } from './record.ts';

// What a point in flight owns alone: a scratch directory (its traced base,
// strace logs, pid files and power-cut disks are all under it), the
// implementation that reads crashed disks back, and the one the I/O error
// points reuse. Nothing is shared between points that run at once.

export interface Slot {
  readonly root: string;
  readonly check: Checker;
  readonly shared: Reuse;
}

/** `jobs` slots under `root` (`job-1`, `job-2`, ...); their processes start on first use. */
export const openSlots = (run: RunOptions, root: string, jobs: number): Slot[] =>
  Array.from({ length: jobs }, (_, i) => {
    const dir = path.join(root, `job-${i + 1}`);
    fs.mkdirSync(dir);
    return { root: dir, check: checker(run), shared: reuse(run, dir) };
  });

/** Ends the I/O error phase's implementations. */
export const closeShared = async (slots: readonly Slot[]): Promise<void> => {
  await Promise.all(slots.map((s) => s.shared.close()));
};

export const closeSlots = async (slots: readonly Slot[]): Promise<void> => {
  await Promise.all(slots.map(async (s) => Promise.all([s.shared.close(), s.check.close()])));
};

/**
 * The slot's checker with handle names of the point's own (`k<point>.<n>`),
 * so that whichever slot runs a point, it sends the same requests.
 */
export const checkerFor = (check: Checker, point: string): Checker => {
  let n = 0;
  return {
    client: () => check.client(),
    close: async () => {},
    tag: () => {
      n += 1;
      return `k${point}.${n}`;
    },
  };
};

/** A verdict with the slot's directories named `<base>`, as a one-job run names them. */
export const inSlot = (verdict: Verdict, slot: Slot): Verdict =>
  verdict._tag === 'Passed'
    ? verdict
    : { ...verdict, reason: withoutRoot(verdict.reason, slot.root) };
