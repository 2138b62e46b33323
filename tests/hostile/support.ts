import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const BIN = join(ROOT, 'bin', 'relspec.js');

/** A TypeScript program of the repository as a shell command, runnable from any directory. */
export const tsCommand = (file: string): string =>
  `'${process.execPath}' --import '${LOADER}' '${join(ROOT, file)}'`;

export const hostile = (name: string): string =>
  tsCommand(join('tests', 'impls', 'hostile', `${name}.ts`));

export interface CliRun {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** The folder the run's temporary folders went into (RELSPEC_TMPDIR). */
  readonly roots: string;
  /** The working directory it ran in. */
  readonly cwd: string;
  /** Pids the hostile implementations noted. */
  readonly pidsDir: string;
}

/** How long a run may take before it counts as a hang (generous: CI is loaded). */
export const HANG_MS = 240_000;

/**
 * Run `relspec <args>` in a fresh working directory, with its temporary
 * folders in a fresh folder of their own. `onStdout` may act on the
 * output as it comes (to interrupt the run, say).
 */
export const runCli = async (
  args: readonly string[],
  options: {
    readonly env?: Readonly<Record<string, string>>;
    readonly onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
    readonly cwd?: string;
  } = {},
): Promise<CliRun> => {
  const cwd = options.cwd ?? (await mkdtemp(join(tmpdir(), 'relspec-hostile-cwd-')));
  const roots = await mkdtemp(join(tmpdir(), 'relspec-hostile-roots-'));
  const pidsDir = await mkdtemp(join(tmpdir(), 'relspec-hostile-pids-'));
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: {
      ...process.env,
      RELSPEC_TMPDIR: roots,
      RELSPEC_HOSTILE_PIDS: pidsDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (t: string) => {
    stdout += t;
    options.onStdout?.(stdout, child);
  });
  child.stderr.on('data', (t: string) => {
    stderr += t;
  });
  const hang = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(hang);
  return { code, signal, stdout, stderr, ms: performance.now() - started, roots, cwd, pidsDir };
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Pids the implementations noted that are still running (a moment is allowed for them to go). */
export const survivors = async (run: CliRun): Promise<number[]> => {
  const pids = (await readdir(run.pidsDir)).map(Number);
  for (let i = 0; i < 50; i++) {
    const left = pids.filter(alive);
    if (left.length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return pids.filter(alive);
};

/** Whatever is left in the run's folder for temporary folders. */
export const leftovers = (run: CliRun): Promise<string[]> => readdir(run.roots);

/** A Node stack frame line: what a user must never see. */
export const STACK = /^\s+at .+[:(]/m;
