import * as path from 'node:path';
import { cloneImage, type Image, type MutableImage } from '../statedir/powercut/image.ts';
import { applyEffect, type Effect } from '../statedir/powercut/model.ts';
import { describeCall, type FileCall } from './fileCalls.ts';
import { IMAGE_BASE } from './snapshot.ts';

// The usual persistence model after a power cut (the conservative reading
// of POSIX, as in ALICE and CrashMonkey): a call that completed changed the
// page cache; file data reaches the disk for sure only when the file is
// fsynced, and a directory entry (create, rename, unlink, mkdir, rmdir)
// only when its directory is fsynced. Every other change may be lost, each
// independently, and data written but not synced may also be partly there.

/** One change a recorded call made, and whether a later call made it durable. */
export interface TracedEffect {
  readonly effect: Effect;
  /** Index of the call (in the request's calls) that made the change. */
  readonly call: number;
  /** Index of the call that made it durable, if any. */
  readonly durableAt: number | undefined;
  /** `data of 7/b-0.preparing`, `rename 7/b-0.preparing -> 7/b-0`... */
  readonly label: string;
  /** The file a data change belongs to, when it is one. */
  readonly inode?: number;
}

/** A recorded path in the image's coordinates. */
const toImage = (base: string, p: string): string =>
  p === base ? IMAGE_BASE : p.startsWith(`${base}/`) ? IMAGE_BASE + p.slice(base.length) : p;

const rel = (p: string) => (p.startsWith(`${IMAGE_BASE}/`) ? p.slice(IMAGE_BASE.length + 1) : p);

const entryDir = (e: Effect): string | undefined => {
  switch (e.kind) {
    case 'link':
    case 'unlink':
    case 'rmdir':
    case 'mkdir':
      return path.posix.dirname(e.path);
    case 'rename':
      return path.posix.dirname(e.to);
    default:
      return undefined;
  }
};

/** The changes of a request's calls (failed calls changed nothing), on the image it started from. */
export const traceEffects = (
  initial: Image,
  calls: readonly FileCall[],
  base: string,
): TracedEffect[] => {
  const live: MutableImage = cloneImage(initial);
  let nextInode = Math.max(0, ...initial.links.values(), ...initial.data.keys()) + 1;
  const fds = new Map<number, { inode: number; pos: number; append: boolean }>();
  const names = new Map<number, string>();
  const made: { effect: Effect; call: number; label: string; inode?: number }[] = [];
  const syncs: { call: number; dir?: string; inode?: number; all?: boolean }[] = [];
  const emit = (effect: Effect, call: number, label: string, inode?: number) => {
    made.push({ effect, call, label, ...(inode === undefined ? {} : { inode }) });
    applyEffect(live, effect);
  };
  calls.forEach((c, i) => {
    if (!c.ok) return;
    const f = c.file;
    switch (f.op) {
      case 'open': {
        const p = toImage(base, f.path);
        let inode = live.links.get(p);
        if (inode === undefined) {
          if (!f.create) return;
          inode = nextInode++;
          emit({ kind: 'link', path: p, inode }, i, `create ${rel(p)}`);
        } else if (f.trunc) emit({ kind: 'truncate', inode }, i, `truncate ${rel(p)}`, inode);
        names.set(inode, rel(p));
        fds.set(f.fd, { inode, pos: 0, append: f.append });
        return;
      }
      case 'write': {
        const p = toImage(base, f.path);
        let file = fds.get(f.fd);
        if (file === undefined || live.links.get(p) !== file.inode) {
          const inode = live.links.get(p);
          if (inode === undefined) return;
          file = { inode, pos: 0, append: false };
          fds.set(f.fd, file);
        }
        const size = live.data.get(file.inode)?.length ?? 0;
        const offset = f.offset ?? (file.append ? size : file.pos);
        emit(
          { kind: 'pwrite', inode: file.inode, offset, bytes: f.data },
          i,
          `data of ${names.get(file.inode) ?? rel(p)}`,
          file.inode,
        );
        if (f.offset === undefined) file.pos = offset + f.data.length;
        return;
      }
      case 'fsync': {
        const p = toImage(base, f.path);
        if (live.dirs.has(p)) syncs.push({ call: i, dir: p });
        else {
          const inode = live.links.get(p);
          if (inode !== undefined) syncs.push({ call: i, inode });
        }
        return;
      }
      case 'resize': {
        const p = toImage(base, f.path);
        const inode = live.links.get(p);
        if (inode === undefined) return;
        const old = live.data.get(inode) ?? new Uint8Array();
        emit({ kind: 'truncate', inode }, i, `truncate ${rel(p)}`, inode);
        const kept = new Uint8Array(f.length);
        kept.set(old.slice(0, f.length));
        if (f.length > 0) {
          emit({ kind: 'pwrite', inode, offset: 0, bytes: kept }, i, `data of ${rel(p)}`, inode);
        }
        return;
      }
      case 'allocate': {
        const p = toImage(base, f.path);
        const inode = live.links.get(p);
        const size = inode === undefined ? 0 : (live.data.get(inode)?.length ?? 0);
        if (inode === undefined || f.end <= size) return;
        emit(
          { kind: 'pwrite', inode, offset: size, bytes: new Uint8Array(f.end - size) },
          i,
          `data of ${rel(p)}`,
          inode,
        );
        return;
      }
      case 'copy': {
        const p = toImage(base, f.path);
        const src = live.links.get(toImage(base, f.from));
        const inode = live.links.get(p);
        if (inode === undefined || src === undefined || f.length === 0) return;
        const file = fds.get(f.fd) ?? { inode, pos: 0, append: false };
        const from = f.fromOffset ?? 0;
        const bytes = (live.data.get(src) ?? new Uint8Array()).slice(from, from + f.length);
        const offset = f.offset ?? file.pos;
        emit({ kind: 'pwrite', inode, offset, bytes }, i, `data of ${rel(p)}`, inode);
        if (f.offset === undefined) file.pos = offset + bytes.length;
        return;
      }
      case 'syncfs':
        syncs.push({ call: i, all: true });
        return;
      case 'syncRange':
        // Starts writeback only: no durability is promised.
        return;
      case 'link': {
        const from = toImage(base, f.from);
        const to = toImage(base, f.to);
        const inode = live.links.get(from);
        if (inode === undefined) return;
        emit({ kind: 'link', path: to, inode }, i, `link ${rel(from)} -> ${rel(to)}`);
        return;
      }
      case 'rename': {
        const from = toImage(base, f.from);
        const to = toImage(base, f.to);
        const inode = live.links.get(from);
        if (inode === undefined) return;
        names.set(inode, rel(to));
        emit({ kind: 'rename', from, to, inode }, i, `rename ${rel(from)} -> ${rel(to)}`);
        return;
      }
      case 'unlink':
        emit(
          { kind: 'unlink', path: toImage(base, f.path) },
          i,
          `unlink ${rel(toImage(base, f.path))}`,
        );
        return;
      case 'rmdir':
        emit(
          { kind: 'rmdir', path: toImage(base, f.path) },
          i,
          `rmdir ${rel(toImage(base, f.path))}`,
        );
        return;
      case 'mkdir':
        emit(
          { kind: 'mkdir', path: toImage(base, f.path) },
          i,
          `mkdir ${rel(toImage(base, f.path))}`,
        );
        return;
    }
  });
  return made.map((m) => {
    const dir = entryDir(m.effect);
    const sync = syncs.find(
      (s) =>
        s.call > m.call &&
        (s.all === true ||
          (m.inode !== undefined && s.inode === m.inode) ||
          (dir !== undefined && s.dir === dir)),
    );
    return {
      effect: m.effect,
      call: m.call,
      durableAt: sync?.call,
      label: m.label,
      ...(m.inode === undefined ? {} : { inode: m.inode }),
    };
  });
};

/** What became of one change that was not durable at the cut. */
export type Fate = 'lost' | 'partial';

/** One disk a power cut can leave. */
export interface CutState {
  /** Calls of the request completed before the cut (0 = none). */
  readonly completed: number;
  /** The same, counted in the window's calls. */
  readonly at: number;
  /** The non-durable changes that did not (fully) reach the disk. */
  readonly lost: readonly {
    readonly label: string;
    readonly fate: Fate;
    readonly effect: TracedEffect;
    /** Its index among the window's changes (what a replay file names). */
    readonly index: number;
    /** Made by an earlier request than the one the cut interrupts. */
    readonly earlier: boolean;
  }[];
  readonly image: Image;
}

const half = (bytes: Uint8Array) => bytes.slice(0, Math.max(1, Math.floor(bytes.length / 2)));

/**
 * What a disk shows once an undone mkdir is taken into account: entries
 * whose directory is not linked are unreachable, so they are dropped.
 */
const reachable = (image: MutableImage): MutableImage => {
  const parent = (p: string) => path.posix.dirname(p);
  for (const d of [...image.dirs].sort((a, b) => a.length - b.length)) {
    if (d !== '/' && !image.dirs.has(parent(d))) image.dirs.delete(d);
  }
  for (const p of [...image.links.keys()]) if (!image.dirs.has(parent(p))) image.links.delete(p);
  return image;
};

/** Every way of choosing `k` of `n` items, in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  const pick = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    yield [...pick];
    let i = k - 1;
    while (i >= 0 && pick[i] === n - k + i) i -= 1;
    if (i < 0) return;
    pick[i] = (pick[i] as number) + 1;
    for (let j = i + 1; j < k; j += 1) pick[j] = (pick[j - 1] as number) + 1;
  }
}

/**
 * Every disk the model allows after a power cut during the last request of
 * `calls`: durable changes kept, each other change kept, lost, or (for
 * data) half there. The calls before `from` belong to earlier requests,
 * which completed: their changes that were never made durable may be lost
 * too, so a cut can undo an unsynced mkdir of an earlier request. The
 * states come fewest losses first; `limit` bounds them per cut point.
 */
export const cutStates = (
  initial: Image,
  calls: readonly FileCall[],
  base: string,
  limit = 4096,
  from = 0,
): CutState[] => {
  const effects = traceEffects(initial, calls, base);
  const out: CutState[] = [];
  for (let completed = from; completed <= calls.length; completed += 1) {
    const done = effects.filter((e) => e.call < completed);
    const volatile = done.filter((e) => e.durableAt === undefined || e.durableAt >= completed);
    let made = 0;
    for (let k = 0; k <= volatile.length && made < limit; k += 1) {
      for (const chosen of combinations(volatile.length, k)) {
        // Each chosen change is lost, or half there when it is data: 2^(data among them) ways.
        const halvable = chosen.filter((i) => {
          const e = (volatile[i] as TracedEffect).effect;
          return e.kind === 'pwrite' && e.bytes.length > 1;
        });
        for (let mask = 0; mask < 1 << halvable.length && made < limit; mask += 1) {
          const fates = new Map<TracedEffect, Fate>();
          for (const i of chosen) fates.set(volatile[i] as TracedEffect, 'lost');
          halvable.forEach((i, bit) => {
            if ((mask >> bit) & 1) fates.set(volatile[i] as TracedEffect, 'partial');
          });
          const image = cloneImage(initial);
          for (const e of done) {
            const fate = fates.get(e);
            if (fate === 'lost') continue;
            if (fate === 'partial' && e.effect.kind === 'pwrite') {
              applyEffect(image, { ...e.effect, bytes: half(e.effect.bytes) });
            } else applyEffect(image, e.effect);
          }
          out.push({
            completed: completed - from,
            at: completed,
            lost: volatile
              .filter((e) => fates.has(e))
              .map((e) => ({
                label: e.label,
                fate: fates.get(e) as Fate,
                effect: e,
                index: effects.indexOf(e),
                earlier: e.call < from,
              })),
            image: reachable(image),
          });
          made += 1;
        }
        if (made >= limit) break;
      }
    }
  }
  return out;
};

/**
 * Power cuts across requests: the disk at the end of the last request of
 * `calls` when one change an earlier request made (the calls before
 * `from`) was never made durable and is lost (or, for data, half there).
 * One loss at a time keeps this to a few states per request.
 */
export const laterLossStates = (
  initial: Image,
  calls: readonly FileCall[],
  base: string,
  from: number,
): CutState[] => {
  const effects = traceEffects(initial, calls, base);
  const end = calls.length;
  const out: CutState[] = [];
  for (const [index, e] of effects.entries()) {
    if (e.call >= from || (e.durableAt !== undefined && e.durableAt < end)) continue;
    const fates: Fate[] =
      e.effect.kind === 'pwrite' && e.effect.bytes.length > 1 ? ['lost', 'partial'] : ['lost'];
    for (const fate of fates) {
      const image = cloneImage(initial);
      for (const other of effects) {
        if (other !== e) applyEffect(image, other.effect);
        else if (fate === 'partial' && e.effect.kind === 'pwrite') {
          applyEffect(image, { ...e.effect, bytes: half(e.effect.bytes) });
        }
      }
      out.push({
        completed: end - from,
        at: end,
        lost: [{ label: e.label, fate, effect: e, index, earlier: true }],
        image: reachable(image),
      });
    }
  }
  return out;
};

/**
 * The calls that would have made a failing state impossible: the sync a
 * lost change was waiting for, named after the call that relied on it.
 */
export const missingCalls = (
  state: CutState,
  calls: readonly FileCall[],
  base: string,
): string[] => {
  const out = new Set<string>();
  const data = state.lost.filter(
    (l) => l.effect.effect.kind === 'pwrite' || l.effect.effect.kind === 'truncate',
  );
  // Lost data explains a bad state on its own; directory entries only when no data was lost.
  for (const { effect: e } of data.length > 0 ? data : state.lost) {
    const k = e.effect.kind;
    if (k === 'pwrite' || k === 'truncate') {
      const file = e.label.replace(/^(data of|truncate) /, '');
      // The rename that published this file's content, if any.
      const publish = calls.findIndex(
        (c, i) =>
          i > e.call &&
          i < state.at &&
          c.file.op === 'rename' &&
          toImage(base, c.file.from) === `${IMAGE_BASE}/${file}`,
      );
      if (publish !== -1) {
        out.add(`fsync of ${file} before ${describeCall(calls[publish] as FileCall, base)}`);
      } else if (!/\.preparing$|tmp|temp/i.test(file)) {
        out.add(
          `a temporary file, fsynced, then renamed over ${file} (it is rewritten in place, so an unsynced write leaves it short)`,
        );
      } else out.add(`fsync of ${file} after writing it`);
    } else {
      const dir = entryDir(e.effect);
      out.add(
        `fsync of the directory ${dir === undefined ? '?' : rel(dir) || '.'} after ${e.label}`,
      );
    }
  }
  return [...out];
};
