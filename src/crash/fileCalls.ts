import * as path from 'node:path';
import { fdNumber, fdPath, pathArg, type Syscall, stringArg, succeeded } from './straceLog.ts';

/**
 * The system calls the crash phases record: every call that changes a
 * file's data, a directory or durability, plus open/openat/creat (which
 * create and truncate) and stdout writes (which end each request).
 */
export const TRACED_SYSCALLS = [
  'open',
  'openat',
  'creat',
  'write',
  'pwrite64',
  'writev',
  'pwritev',
  'pwritev2',
  'truncate',
  'ftruncate',
  'fallocate',
  'copy_file_range',
  'fsync',
  'fdatasync',
  'syncfs',
  'sync_file_range',
  'rename',
  'renameat',
  'renameat2',
  'link',
  'linkat',
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
  /** ftruncate/truncate to `length` bytes. */
  | { readonly op: 'resize'; readonly path: string; readonly length: number }
  /** fallocate: the file grows to at least `end` bytes (zeros), unless the size is kept. */
  | { readonly op: 'allocate'; readonly path: string; readonly end: number }
  /** copy_file_range: `length` bytes of `from` at `fromOffset` into `path`. */
  | {
      readonly op: 'copy';
      readonly path: string;
      readonly fd: number;
      readonly from: string;
      readonly fromOffset: number | undefined;
      readonly offset: number | undefined;
      readonly length: number;
    }
  /** syncfs: everything becomes durable. */
  | { readonly op: 'syncfs'; readonly path: string }
  /** sync_file_range: starts writeback, promises nothing (no metadata, no flush). */
  | { readonly op: 'syncRange'; readonly path: string }
  | { readonly op: 'link'; readonly from: string; readonly to: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'unlink'; readonly path: string }
  | { readonly op: 'rmdir'; readonly path: string }
  | { readonly op: 'mkdir'; readonly path: string };

/** A mutating call inside the state directory base, as recorded. */
export interface FileCall {
  readonly seq: number;
  readonly tid: number;
  /** The thread, named stably across runs (`t0` is the first thread traced). */
  readonly thread: string;
  readonly syscall: string;
  /**
   * strace's `when=` for this call: which occurrence (1-based) it is among
   * every call of `syscall` its thread made since tracing began.
   */
  readonly nth: number;
  /**
   * Where the call stands whatever its files are called: the directory it
   * acts in (relative to the base) and its rank (1-based) among the calls
   * of `syscall` in that directory. Injections are aimed at this.
   */
  readonly aim: Aim;
  /** The paths the call touches (two for a rename). */
  readonly paths: readonly string[];
  readonly ok: boolean;
  /** The return text (`-1 EIO (...)` for a failure). */
  readonly ret: string;
  readonly injected: boolean;
  readonly file: FileOp;
}

export interface Aim {
  readonly syscall: string;
  readonly dir: string;
  readonly rank: number;
}

export const aimText = (a: Aim): string =>
  `${a.syscall} #${a.rank} in ${a.dir === '.' ? 'the base' : a.dir}`;

export const sameAim = (a: Aim, b: Aim): boolean =>
  a.syscall === b.syscall && a.dir === b.dir && a.rank === b.rank;

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

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
    case 'writev':
    case 'pwritev':
    case 'pwritev2': {
      const p = fdPath(a[0]);
      if (p === undefined) return undefined;
      const pieces = [...(a[1] ?? '').matchAll(/"((?:\\x[0-9a-f]{2})*)"/g)].map((m) =>
        stringArg(`"${m[1]}"`),
      );
      const all = concat(pieces.filter((x): x is Uint8Array => x !== undefined));
      const offset = c.name === 'writev' ? undefined : Number(a[3]);
      const n = fdNumber(c.ret);
      const kept = n !== undefined && n >= 0 && n < all.length ? all.slice(0, n) : all;
      return { op: 'write', path: p, fd: fdNumber(a[0]) ?? -1, data: kept, offset };
    }
    case 'truncate':
    case 'ftruncate': {
      const p = c.name === 'truncate' ? abs(pathArg(a[0])) : fdPath(a[0]);
      const length = Number(a[1]);
      return p === undefined || !Number.isFinite(length)
        ? undefined
        : { op: 'resize', path: p, length };
    }
    case 'fallocate': {
      const p = fdPath(a[0]);
      if (p === undefined) return undefined;
      const keep = (a[1] ?? '').includes('KEEP_SIZE') || (a[1] ?? '').includes('PUNCH_HOLE');
      const end = keep ? 0 : Number(a[2]) + Number(a[3]);
      return { op: 'allocate', path: p, end: Number.isFinite(end) ? end : 0 };
    }
    case 'copy_file_range': {
      const from = fdPath(a[0]);
      const p = fdPath(a[2]);
      if (p === undefined || from === undefined) return undefined;
      const offsetOf = (arg: string | undefined) => {
        const m = /^\[(\d+)\]$/.exec((arg ?? '').trim());
        return m === null ? undefined : Number(m[1]);
      };
      return {
        op: 'copy',
        path: p,
        fd: fdNumber(a[2]) ?? -1,
        from,
        fromOffset: offsetOf(a[1]),
        offset: offsetOf(a[3]),
        length: Math.max(0, fdNumber(c.ret) ?? 0),
      };
    }
    case 'syncfs': {
      const p = fdPath(a[0]);
      return p === undefined ? undefined : { op: 'syncfs', path: p };
    }
    case 'sync_file_range': {
      const p = fdPath(a[0]);
      return p === undefined ? undefined : { op: 'syncRange', path: p };
    }
    case 'link': {
      const from = abs(pathArg(a[0]));
      const to = abs(pathArg(a[1]));
      return from === undefined || to === undefined ? undefined : { op: 'link', from, to };
    }
    case 'linkat': {
      const from = resolveAt(a[0], pathArg(a[1]), cwd);
      const to = resolveAt(a[2], pathArg(a[3]), cwd);
      return from === undefined || to === undefined ? undefined : { op: 'link', from, to };
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

const targetPaths = (op: FileOp): string[] =>
  op.op === 'rename' || op.op === 'link'
    ? [op.from, op.to]
    : op.op === 'copy'
      ? [op.path, op.from]
      : [op.path];

const within = (base: string, p: string) => p === base || p.startsWith(`${base}/`);

const touches = (base: string, op: FileOp): boolean => targetPaths(op).some((p) => within(base, p));

/** The directory a call acts in, relative to the base: where its (target) entry lives. */
const actsIn = (base: string, op: FileOp): string => {
  const p = op.op === 'rename' || op.op === 'link' ? op.to : op.path;
  const dir = within(base, p) ? path.dirname(p) : base;
  return within(base, dir) ? path.relative(base, dir) || '.' : '.';
};

/**
 * The mutating calls of a log that touch `base` (the noise of the runtime,
 * module loading, pipes and caches, is left out). Each gets its `when=`
 * number, counted over every call of its syscall in its thread, and its aim,
 * counted over the calls of its syscall in its directory. `threads` lists
 * the thread ids known when tracing began, in a stable order; later threads
 * are named in order of appearance.
 */
export const fileCalls = (
  log: readonly Syscall[],
  base: string,
  cwd: string,
  threads: readonly number[] = [],
): FileCall[] => {
  const out: FileCall[] = [];
  const names = new Map<number, string>(threads.map((t, i) => [t, `t${i}`]));
  const perThread = new Map<string, number>();
  const perDir = new Map<string, number>();
  for (const c of log) {
    if (!names.has(c.tid)) names.set(c.tid, `t${names.size}`);
    const thread = names.get(c.tid) as string;
    const key = `${thread} ${c.name}`;
    const nth = (perThread.get(key) ?? 0) + 1;
    perThread.set(key, nth);
    const file = fileOpOf(c, cwd);
    if (file === undefined || !touches(base, file)) continue;
    const dir = actsIn(base, file);
    const dirKey = `${c.name} ${dir}`;
    const rank = (perDir.get(dirKey) ?? 0) + 1;
    perDir.set(dirKey, rank);
    out.push({
      paths: targetPaths(file),
      seq: c.seq,
      tid: c.tid,
      thread,
      syscall: c.name,
      nth,
      aim: { syscall: c.name, dir, rank },
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
    case 'link':
      return `${call.syscall} ${rel(f.from)} -> ${rel(f.to)}`;
    case 'copy':
      return `${call.syscall} ${rel(f.from)} -> ${rel(f.path)} (${f.length} bytes)`;
    case 'resize':
      return `${call.syscall} ${rel(f.path)} to ${f.length} bytes`;
    default:
      return `${call.syscall} ${rel(f.path)}`;
  }
};
