import { accessSync, constants, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { trackFolder } from '../runner/reaper.ts';

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

/** A write the implementation made outside the scenario directory it was given. */
export interface Escape {
  readonly path: string;
  /** The scenario directory it was given at the time. */
  readonly scenario: string;
}

export interface TempRootOptions {
  readonly parent?: string;
  /**
   * Directories (the working directory) where a new entry is also an
   * escape; `ignore` lists paths inside them the run itself writes.
   */
  readonly watch?: readonly string[];
  readonly ignore?: readonly string[];
}

const names = (dir: string): Set<string> => {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
};

const remove = (path: string): string | undefined => {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
    return undefined;
  } catch (e) {
    return `${path}: ${(e as Error).message.split('\n')[0]}`;
  }
};

/**
 * One temporary folder per run; every scenario gets a fresh base directory
 * inside it, and nothing else may appear there. Releasing a base removes
 * it and looks for anything new in the run root (removed too) or in the
 * watched directories (left alone): each is an escape, reported by the run
 * as a failure. Removal problems are kept as warnings, never thrown.
 */
export class TempRoot {
  private n = 0;
  private readonly active = new Set<string>();
  private readonly escapes: Escape[] = [];
  private readonly problems: string[] = [];
  private readonly watched: { dir: string; seen: Set<string> }[];
  private readonly untrack: () => void;

  private constructor(
    readonly path: string,
    private readonly options: TempRootOptions,
  ) {
    this.watched = (options.watch ?? []).map((d) => ({ dir: resolve(d), seen: names(d) }));
    this.untrack = trackFolder(() => rmSync(path, { recursive: true, force: true }));
  }

  static async create(options: TempRootOptions | string = {}): Promise<TempRoot> {
    const o = typeof options === 'string' ? { parent: options } : options;
    // realpath: tmpdir() may be a symlink, and implementations answer with real paths.
    const path = await realpath(
      await mkdtemp(join(o.parent ?? defaultParent(), 'relspec-conform-')),
    );
    return new TempRoot(path, o);
  }

  /** A fresh, empty directory (not yet created: `base` may be missing, as on a new agent). */
  async fresh(prefix: string): Promise<string> {
    this.n += 1;
    const dir = join(this.path, `${prefix}-${this.n}`);
    this.active.add(dir);
    return dir;
  }

  async release(dir: string): Promise<void> {
    this.active.delete(dir);
    const problem = remove(dir);
    if (problem !== undefined) this.problems.push(problem);
    this.sweep(dir);
  }

  private isIgnored(path: string): boolean {
    return (this.options.ignore ?? []).some((i) => {
      const rel = relative(resolve(i), path);
      return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
    });
  }

  /** Anything in the run root but the active bases, and anything new where watched. */
  private sweep(scenario: string): void {
    for (const name of names(this.path)) {
      const path = join(this.path, name);
      if (this.active.has(path)) continue;
      this.escapes.push({ path, scenario });
      const problem = remove(path);
      if (problem !== undefined) this.problems.push(problem);
    }
    for (const w of this.watched) {
      const now = names(w.dir);
      for (const name of now) {
        const path = join(w.dir, name);
        if (!w.seen.has(name) && !this.isIgnored(path)) this.escapes.push({ path, scenario });
      }
      w.seen = now;
    }
  }

  /** The escapes found since the last call. */
  takeEscapes(): readonly Escape[] {
    return this.escapes.splice(0);
  }

  /** Clean-up problems (a directory that could not be removed), as warnings. */
  takeProblems(): readonly string[] {
    return this.problems.splice(0);
  }

  async remove(): Promise<void> {
    const problem = remove(this.path);
    if (problem !== undefined) this.problems.push(problem);
    else this.untrack();
  }
}
