import { spawnSync } from 'node:child_process';
import { TRACED_SYSCALLS } from './fileCalls.ts';

/** What strace does at the chosen call: kill the process, or make the call fail. */
export type Action = { readonly kind: 'kill' } | { readonly kind: 'error'; readonly code: IoCode };

export const IO_CODES = ['EIO', 'ENOSPC', 'EACCES'] as const;
export type IoCode = (typeof IO_CODES)[number];

/**
 * The `when`-th occurrence of `syscall` in a thread (strace counts per
 * syscall and per tracee, and with `-P` only the calls touching the paths).
 */
export interface Injection {
  readonly syscall: string;
  /** Only calls touching these paths are traced and counted (`-P`). */
  readonly paths: readonly string[];
  readonly nth: number;
  readonly action: Action;
}

/** Whether `strace` can be run here. */
export const straceAvailable = (): boolean => {
  const probe = spawnSync('strace', ['-V'], { stdio: 'ignore' });
  return probe.status === 0;
};

/**
 * Why strace cannot trace here (a container without ptrace, say), or
 * undefined when it can: one traced `true` must succeed.
 */
export const straceCannotTrace = (): string | undefined => {
  const probe = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '--', 'true'], {
    encoding: 'utf8',
  });
  if (probe.status === 0) return undefined;
  const why = (probe.stderr ?? '').trim().split('\n')[0] ?? '';
  return `crash phase not run: strace cannot trace here${why === '' ? '' : ` (${why})`}`;
};

/** The visible line printed when the phases cannot run. */
export const STRACE_MISSING = 'crash phase not run: strace missing';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The implementation's command run under `strace -f`, tracing the file calls
 * (and stdout writes, which mark the end of each request) into `log`.
 * Strings and fd paths are printed in hex (`-xx -y`), whole (`-s`).
 */
export const straceCommand = (command: string, log: string, injection?: Injection): string => {
  const parts = [
    'strace',
    '-f',
    // Not --seccomp-bpf: with it, `when=` under -P stops counting as expected.
    '-qq',
    '-o',
    quote(log),
    '-xx',
    '-y',
    '-s',
    '65536',
    '-e',
    `trace=${[...TRACED_SYSCALLS, 'writev'].join(',')}`,
  ];
  if (injection !== undefined) {
    const what =
      injection.action.kind === 'kill' ? 'signal=KILL' : `error=${injection.action.code}`;
    for (const p of injection.paths) parts.push('-P', quote(p));
    parts.push('-e', `inject=${injection.syscall}:${what}:when=${injection.nth}`);
  }
  parts.push('--', 'sh', '-c', quote(command));
  return parts.join(' ');
};
