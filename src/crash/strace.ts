import { spawn, spawnSync } from 'node:child_process';
import { TRACED_SYSCALLS } from './fileCalls.ts';

/** What strace does at the chosen call: kill the process, or make the call fail. */
export type Action = { readonly kind: 'kill' } | { readonly kind: 'error'; readonly code: IoCode };

export const IO_CODES = ['EIO', 'ENOSPC', 'EACCES'] as const;
export type IoCode = (typeof IO_CODES)[number];

/**
 * The `nth` call of `syscall` in each traced thread (strace counts per
 * syscall and per thread, from the moment it attached).
 */
export interface Injection {
  readonly syscall: string;
  readonly nth: number;
  readonly action: Action;
}

/** Whether `strace` can be run here. */
export const straceAvailable = (): boolean => {
  const probe = spawnSync('strace', ['-V'], { stdio: 'ignore' });
  return probe.status === 0;
};

/**
 * Why strace cannot attach to a running process here (no ptrace in a
 * container, or Yama's ptrace_scope), or undefined when it can: strace
 * attaches to a `sleep` started beside it and must see it exit.
 */
export const straceCannotTrace = async (): Promise<string | undefined> => {
  const sleeper = spawn('sleep', ['1'], { stdio: 'ignore' });
  const pid = sleeper.pid;
  if (pid === undefined) return 'crash phase not run: cannot start a process to attach to';
  const probe = spawnSync('strace', ['-qq', '-o', '/dev/null', '-p', String(pid)], {
    encoding: 'utf8',
    timeout: 20000,
  });
  sleeper.kill('SIGKILL');
  if (probe.status === 0) return undefined;
  const why = (probe.stderr ?? '').trim().split('\n')[0] ?? '';
  return `crash phase not run: strace cannot attach to a process here${why === '' ? '' : ` (${why})`}; it needs ptrace (root, or kernel.yama.ptrace_scope=0)`;
};

/** The visible line printed when the phases cannot run. */
export const STRACE_MISSING = 'crash phase not run: strace missing';

/** The syscalls traced, with the stdout writes (which end each request). */
export const TRACE_SET = `trace=${TRACED_SYSCALLS.join(',')}`;

/**
 * strace attached (`-f -p`) to the running implementation's processes,
 * tracing the file calls into `log`. Strings and fd paths are printed in
 * hex (`-xx -y`), whole (`-s`). No path filter: a temporary file may have
 * any name, so calls are aimed by their rank (see fileCalls).
 */
export const straceArgs = (
  log: string,
  pids: readonly number[],
  injection?: Injection,
): string[] => {
  const parts = ['-f', '-qq', '-o', log, '-xx', '-y', '-s', '65536', '-e', TRACE_SET];
  if (injection !== undefined) {
    const what =
      injection.action.kind === 'kill' ? 'signal=KILL' : `error=${injection.action.code}`;
    parts.push('-e', `inject=${injection.syscall}:${what}:when=${injection.nth}`);
  }
  for (const p of pids) parts.push('-p', String(p));
  return parts;
};
