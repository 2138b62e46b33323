import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One temporary folder per run; every scenario gets fresh base directories inside it. */
export class TempRoot {
  private n = 0;

  private constructor(readonly path: string) {}

  static async create(): Promise<TempRoot> {
    // realpath: tmpdir() may be a symlink, and implementations answer with real paths.
    return new TempRoot(await realpath(await mkdtemp(join(tmpdir(), 'relspec-conform-'))));
  }

  /** A fresh, empty directory (not yet created: `base` may be missing, as on a new agent). */
  async fresh(prefix: string): Promise<string> {
    this.n += 1;
    const dir = join(this.path, `${prefix}-${this.n}`);
    await mkdir(this.path, { recursive: true });
    return dir;
  }

  async release(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
