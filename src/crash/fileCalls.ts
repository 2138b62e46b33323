import * as path from 'node:path';
import { fdNumber, fdPath, pathArg, type Syscall, stringArg, succeeded } from './straceLog.ts';

/**
 * The system calls the crash phases record (the ones that change a file's
 * data or a directory), plus open/openat without create or truncate, which
 * strace counts towards `when=` for the same syscall.
 */
export const TRACED_SYSCALLS = [
  'open',
  'openat',
  'creat',
  'write',
  'pwrite64',
  'fsync',
  'fdatasync',
  'rename',
  'renameat',
  'renameat2',
  'unlink',
  'unlinkat',
  'mkdir',
  'mkdirat',
  'rmdir',
] as const;

/** What a mutating call does, with absolute paths. */
export type FileOp =
  | {
      readonly op: 'open';
      readonly path: string;
      readonly fd: number;
      readonly create: boolean;
      readonly trunc: boolean;
      readonly append: boolean;
    }
  | {
      readonly op: 'write';
      readonly path: string;
      readonly fd: number;
      readonly data: Uint8Array;
      /** pwrite's offset; undefined: the file position. */
      readonly offset: number | undefined;
    }
  | { readonly op: 'fsync'; readonly path: string; readonly fd: number }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'unlink'; readonly path: string }
  | { readonly op: 'rmdir'; readonly path: string }
  | { readonly op: 'mkdir'; readonly path: string };

/** A mutating call inside the state directory base, as recorded. */
export interface FileCall {
  readonly seq: number;
  readonly tid: number;
  readonly syscall: string;
  /**
   * Which occurrence this is (1-based) among the calls of `syscall` in its
   * thread that touch one of `paths`: strace's `when=` once the injection
   * run is restricted with `-P` to those paths (the runtime's own calls,
   * whose number varies from run to run, are then not counted).
   */
  readonly nth: number;
  /** The paths the call touches (two for a rename): the `-P` filter. */
  readonly paths: readonly string[];
  readonly ok: boolean;
  /** The return text (`-1 EIO (...)` for a failure). */
  readonly ret: string;
  readonly injected: boolean;
  readonly file: FileOp;
}

const flagsOf = (arg: string | undefined): ReadonlySet<string> =>
  new Set((arg ?? '').split('|').map((f) => f.trim()));

const resolveAt = (dirArg: string | undefined, rel: string | undefined, cwd: string) => {
  if (rel === undefined) return undefined;
  if (path.isAbsolute(rel)) return path.normalize(rel);
  return path.resolve(fdPath(dirArg) ?? cwd, rel);
};

/** What the call does to files, whatever its outcome; undefined for calls that change nothing. */
export const fileOpOf = (c: Syscall, cwd: string): FileOp | undefined => {
  const a = c.args;
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  switch (c.name) {
    case 'open':
    case 'openat':
    case 'creat': {
      const p = c.name === 'openat' ? resolveAt(a[0], pathArg(a[1]), cwd) : abs(pathArg(a[0]));
      const flags =
        c.name === 'creat'
          ? flagsOf('O_CREAT|O_TRUNC')
          : flagsOf(c.name === 'openat' ? a[2] : a[1]);
      const create = flags.has('O_CREAT');
      const trunc = flags.has('O_TRUNC');
      if (p === undefined || (!create && !trunc)) return undefined;
      return {
        op: 'open',
        path: p,
        fd: fdNumber(c.ret) ?? -1,
        create,
        trunc,
        append: flags.has('O_APPEND'),
      };
    }
    case 'write':
    case 'pwrite64': {
      const p = fdPath(a[0]);
      const data = stringArg(a[1]);
      if (p === undefined || data === undefined) return undefined;
      const offset = c.name === 'pwrite64' ? Number(a[3]) : undefined;
      // A short write keeps only what the call reported as written.
      const n = fdNumber(c.ret);
      const kept = n !== undefined && n >= 0 && n < data.length ? data.slice(0, n) : data;
      return { op: 'write', path: p, fd: fdNumber(a[0]) ?? -1, data: kept, offset };
    }
    case 'fsync':
    case 'fdatasync': {
      const p = fdPath(a[0]);
      return p === undefined ? undefined : { op: 'fsync', path: p, fd: fdNumber(a[0]) ?? -1 };
    }
    case 'rename': {
      const from = abs(pathArg(a[0]));
      const to = abs(pathArg(a[1]));
      return from === undefined || to === undefined ? undefined : { op: 'rename', from, to };
    }
    case 'renameat':
    case 'renameat2': {
      const from = resolveAt(a[0], pathArg(a[1]), cwd);
      const to = resolveAt(a[2], pathArg(a[3]), cwd);
      return from === undefined || to === undefined ? undefined : { op: 'rename', from, to };
    }
    case 'unlink': {
      const p = abs(pathArg(a[0]));
      return p === undefined ? undefined : { op: 'unlink', path: p };
    }
    case 'unlinkat': {
      const p = resolveAt(a[0], pathArg(a[1]), cwd);
      if (p === undefined) return undefined;
      return flagsOf(a[2]).has('AT_REMOVEDIR')
        ? { op: 'rmdir', path: p }
        : { op: 'unlink', path: p };
    }
    case 'rmdir': {
      const p = abs(pathArg(a[0]));
      return p === undefined ? undefined : { op: 'rmdir', path: p };
    }
    case 'mkdir': {
      const p = abs(pathArg(a[0]));
      return p === undefined ? undefined : { op: 'mkdir', path: p };
    }
    case 'mkdirat': {
      const p = resolveAt(a[0], pathArg(a[1]), cwd);
      return p === undefined ? undefined : { op: 'mkdir', path: p };
    }
    default:
      return undefined;
  }
};

/** Every path a call names, in its string arguments or its `-y` fd annotations. */
export const pathsOf = (c: Syscall, cwd: string): string[] => {
  const out: string[] = [];
  c.args.forEach((arg, i) => {
    const quoted = pathArg(arg);
    if (quoted !== undefined) {
      // Only arguments that are paths (not a write's data).
      if (!(c.name === 'write' || c.name === 'pwrite64') || i !== 1)
        out.push(path.resolve(cwd, quoted));
      return;
    }
    if (arg.startsWith('AT_FDCWD')) return;
    const annotated = fdPath(arg);
    if (annotated?.startsWith('/') === true) out.push(annotated);
  });
  return out;
};

const targetPaths = (op: FileOp): string[] => (op.op === 'rename' ? [op.from, op.to] : [op.path]);

const within = (base: string, p: string) => p === base || p.startsWith(`${base}/`);

const touches = (base: string, op: FileOp): boolean =>
  op.op === 'rename' ? within(base, op.from) || within(base, op.to) : within(base, op.path);

/**
 * The mutating calls of a log that touch `base` (the noise of the runtime,
 * module loading, pipes and caches, is left out), each with its `when=`
 * index counted over every call of its syscall in its thread.
 */
export const fileCalls = (log: readonly Syscall[], base: string, cwd: string): FileCall[] => {
  const out: FileCall[] = [];
  // Calls per thread and syscall, with their paths, to count `when=` under `-P`.
  const seen = new Map<string, string[][]>();
  for (const c of log) {
    const key = `${c.tid} ${c.name}`;
    const earlier = seen.get(key) ?? [];
    earlier.push(pathsOf(c, cwd));
    seen.set(key, earlier);
    const file = fileOpOf(c, cwd);
    if (file === undefined || !touches(base, file)) continue;
    const paths = targetPaths(file);
    const nth = earlier.filter((ps) => ps.some((p) => paths.includes(p))).length;
    out.push({
      paths,
      seq: c.seq,
      tid: c.tid,
      syscall: c.name,
      nth,
      ok: succeeded(c),
      ret: c.ret,
      injected: c.injected,
      file,
    });
  }
  return out;
};

/** A short text naming the call: `rename 7/b-0.preparing -> 7/b-0`. */
export const describeCall = (call: FileCall, base: string): string => {
  const rel = (p: string) => (within(base, p) ? path.relative(base, p) || '.' : p);
  const f = call.file;
  switch (f.op) {
    case 'open': {
      const flags = [f.create ? 'O_CREAT' : '', f.trunc ? 'O_TRUNC' : ''].filter((x) => x !== '');
      return `${call.syscall} ${rel(f.path)} ${flags.join('|')}`;
    }
    case 'write':
      return `${call.syscall} ${rel(f.path)} (${f.data.length} bytes)`;
    case 'fsync':
      return `${call.syscall} ${rel(f.path)}`;
    case 'rename':
      return `${call.syscall} ${rel(f.from)} -> ${rel(f.to)}`;
    default:
      return `${call.syscall} ${rel(f.path)}`;
  }
};
