import type { FsCall } from '../fsPort.ts';
import { goDir } from '../goPath.ts';
import type { CallEvent } from '../intercept.ts';
import { childrenOf, cloneImage, type Image, type MutableImage, pwrite } from './image.ts';

// The power-cut model. A call that completed has changed the page cache, not
// necessarily the disk: file contents become durable when the file is
// fsynced, directory entries (creation, rename, unlink, rmdir, mkdir) when
// their directory is synced. At a power cut every change not yet made
// durable may or may not have reached the disk, each independently; the
// changes that did are replayed in call order. That is the conservative
// reading of POSIX (journaling file systems lose less).

/** One change a completed call made, as the disk would replay it. */
export type Effect =
  | { readonly kind: 'link'; readonly path: string; readonly inode: number }
  | { readonly kind: 'truncate'; readonly inode: number }
  | {
      readonly kind: 'pwrite';
      readonly inode: number;
      readonly offset: number;
      readonly bytes: Uint8Array;
    }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string; readonly inode: number }
  | { readonly kind: 'unlink'; readonly path: string }
  | { readonly kind: 'rmdir'; readonly path: string }
  | { readonly kind: 'mkdir'; readonly path: string };

export interface TracedEffect {
  readonly effect: Effect;
  /** Index of the call that made it. */
  readonly call: number;
  /** Index of the first later call that made it durable, if any. */
  readonly durableAt: number | undefined;
  /** Short text for tables: "rename wordpress-0.preparing -> wordpress-0". */
  readonly label: string;
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Which directory's sync makes a directory-entry effect durable (none for data). */
const entryDir = (e: Effect): string | undefined => {
  switch (e.kind) {
    case 'link':
    case 'unlink':
    case 'rmdir':
    case 'mkdir':
      return goDir(e.path);
    case 'rename':
      return goDir(e.to);
    default:
      return undefined;
  }
};

const label = (e: Effect, names: ReadonlyMap<number, string>): string => {
  switch (e.kind) {
    case 'link':
      return `create ${base(e.path)}`;
    case 'truncate':
      return `truncate ${names.get(e.inode) ?? 'file'}`;
    case 'pwrite':
      return `data of ${names.get(e.inode) ?? 'file'}`;
    case 'rename':
      return `rename ${base(e.from)} -> ${base(e.to)}`;
    case 'unlink':
      return `unlink ${base(e.path)}`;
    case 'rmdir':
      return `rmdir ${base(e.path)}`;
    case 'mkdir':
      return `mkdir ${base(e.path)}`;
  }
};

/** Applies one effect, leniently: an effect whose target is gone changes nothing. */
export const applyEffect = (image: MutableImage, e: Effect): void => {
  switch (e.kind) {
    case 'link':
      image.links.set(e.path, e.inode);
      if (!image.data.has(e.inode)) image.data.set(e.inode, new Uint8Array());
      return;
    case 'truncate':
      image.data.set(e.inode, new Uint8Array());
      return;
    case 'pwrite':
      image.data.set(e.inode, pwrite(image.data.get(e.inode), e.offset, e.bytes));
      return;
    case 'rename':
      if (image.links.get(e.from) === e.inode) image.links.delete(e.from);
      image.links.set(e.to, e.inode);
      if (!image.data.has(e.inode)) image.data.set(e.inode, new Uint8Array());
      return;
    case 'unlink':
      image.links.delete(e.path);
      return;
    case 'rmdir':
      if (childrenOf(image, e.path).length === 0) image.dirs.delete(e.path);
      return;
    case 'mkdir':
      if (image.dirs.has(goDir(e.path))) image.dirs.add(e.path);
      return;
  }
};

/**
 * The effects of the completed calls of a trace that started on `initial`,
 * each with the call that made it durable. `calls` is what a recording port
 * saw; failed calls changed nothing.
 */
export const traceEffects = (initial: Image, calls: readonly CallEvent[]): TracedEffect[] => {
  const live = cloneImage(initial);
  let nextInode = Math.max(0, ...initial.links.values(), ...initial.data.keys()) + 1;
  const files = new Map<number, { inode: number; pos: number }>();
  const names = new Map<number, string>();
  const made: { effect: Effect; call: number }[] = [];
  const emit = (effect: Effect, call: number) => {
    made.push({ effect, call });
    applyEffect(live, effect);
  };
  const syncs: { call: number; kind: FsCall; target: string | number }[] = [];
  calls.forEach((c, i) => {
    if (!c.ok) return;
    switch (c.call) {
      case 'open': {
        const existing = live.links.get(c.path);
        const inode = existing ?? nextInode++;
        names.set(inode, base(c.path));
        if (existing === undefined) emit({ kind: 'link', path: c.path, inode }, i);
        else emit({ kind: 'truncate', inode }, i);
        if (c.fd !== undefined) files.set(c.fd, { inode, pos: 0 });
        return;
      }
      case 'write': {
        const f = c.fd === undefined ? undefined : files.get(c.fd);
        if (f === undefined || c.data === undefined) return;
        emit({ kind: 'pwrite', inode: f.inode, offset: f.pos, bytes: c.data }, i);
        f.pos += c.data.length;
        return;
      }
      case 'fsync': {
        const f = c.fd === undefined ? undefined : files.get(c.fd);
        if (f !== undefined) syncs.push({ call: i, kind: 'fsync', target: f.inode });
        return;
      }
      case 'rename': {
        const inode = live.links.get(c.path);
        if (inode !== undefined && c.path2 !== undefined) {
          names.set(inode, base(c.path2));
          emit({ kind: 'rename', from: c.path, to: c.path2, inode }, i);
        }
        return;
      }
      case 'unlink':
        emit({ kind: 'unlink', path: c.path }, i);
        return;
      case 'rmdir':
        emit({ kind: 'rmdir', path: c.path }, i);
        return;
      case 'mkdir':
        emit({ kind: 'mkdir', path: c.path }, i);
        return;
      case 'syncDir':
        syncs.push({ call: i, kind: 'syncDir', target: c.path });
        return;
      default:
        return;
    }
  });
  return made.map(({ effect, call }) => {
    const dir = entryDir(effect);
    const dataInode = effect.kind === 'truncate' || effect.kind === 'pwrite' ? effect.inode : -1;
    const sync = syncs.find(
      (s) =>
        s.call > call &&
        ((s.kind === 'fsync' && s.target === dataInode) ||
          (s.kind === 'syncDir' && dir !== undefined && s.target === dir)),
    );
    return { effect, call, durableAt: sync?.call, label: label(effect, names) };
  });
};

/** One disk the model allows after a power cut. */
export interface CrashImage {
  /** Calls completed before the cut (0 = none). */
  readonly completed: number;
  /** Labels of the completed changes that did not reach the disk. */
  readonly lost: readonly string[];
  readonly image: Image;
}

/**
 * Every disk a power cut can leave, for every cut point from before the
 * first call to after the last: durable changes are kept, and each subset of
 * the others is lost.
 */
export const crashImages = (initial: Image, calls: readonly CallEvent[]): CrashImage[] => {
  const effects = traceEffects(initial, calls);
  const out: CrashImage[] = [];
  for (let completed = 0; completed <= calls.length; completed += 1) {
    const done = effects.filter((e) => e.call < completed);
    const volatile = done.filter((e) => e.durableAt === undefined || e.durableAt >= completed);
    for (let mask = 0; mask < 1 << volatile.length; mask += 1) {
      const lost = new Set(volatile.filter((_, i) => (mask >> i) & 1));
      const image = cloneImage(initial);
      for (const e of done) if (!lost.has(e)) applyEffect(image, e.effect);
      out.push({ completed, lost: [...lost].map((e) => e.label), image });
    }
  }
  return out;
};
