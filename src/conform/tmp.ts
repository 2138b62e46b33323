import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where scenario directories go: RELSPEC_TMPDIR if set, else a memory file
 * system when there is one (state directory writes sync to disk, and
 * thousands of scenarios would wait on the disk), else the system's tmpdir.
 */
const defaultParent = (): string => {
  const chosen = process.env.RELSPEC_TMPDIR;
  if (chosen !== undefined && chosen !== '') return chosen;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
};

/** One temporary folder per run; every scenario gets fresh base directories inside it. */
export class TempRoot {
  private n = 0;

  private constructor(readonly path: string) {}

  static async create(parent: string = defaultParent()): Promise<TempRoot> {
    // realpath: tmpdir() may be a symlink, and implementations answer with real paths.
    return new TempRoot(await realpath(await mkdtemp(join(parent, 'relspec-conform-'))));
  }

  /** A fresh, empty directory (not yet created: `base` may be missing, as on a new agent). */
  async fresh(prefix: string): Promise<string> {
    this.n += 1;
    const dir = join(this.path, `${prefix}-${this.n}`);
    return dir;
  }

  async release(dir: string): Promise<void> {
    rmSync(dir, { recursive: true, force: true });
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
