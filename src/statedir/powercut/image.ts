import * as E from 'fp-ts/lib/Either.js';
import { type FileHandle, type FsCall, type FsError, type FsPort, fsError } from '../fsPort.ts';
import { goClean, goDir } from '../goPath.ts';

/**
 * A disk as the power-cut model sees it: directories, names bound to inodes,
 * and inode contents. Absolute, cleaned paths only.
 */
export interface Image {
  readonly dirs: ReadonlySet<string>;
  readonly links: ReadonlyMap<string, number>;
  readonly data: ReadonlyMap<number, Uint8Array>;
}

export interface MutableImage {
  dirs: Set<string>;
  links: Map<string, number>;
  data: Map<number, Uint8Array>;
}

export const cloneImage = (image: Image): MutableImage => ({
  dirs: new Set(image.dirs),
  links: new Map(image.links),
  data: new Map(image.data),
});

/** An image from `path -> text` (null: an empty directory); parents are implied. */
export const imageFromFiles = (files: Readonly<Record<string, string | null>>): Image => {
  const image: MutableImage = { dirs: new Set(['/']), links: new Map(), data: new Map() };
  const addDir = (p: string) => {
    for (let d = p; d !== '/' && !image.dirs.has(d); d = goDir(d)) image.dirs.add(d);
  };
  let inode = 1;
  for (const [raw, text] of Object.entries(files)) {
    const p = goClean(raw);
    if (text === null) addDir(p);
    else {
      addDir(goDir(p));
      image.links.set(p, inode);
      image.data.set(inode, new TextEncoder().encode(text));
      inode += 1;
    }
  }
  return image;
};

/** Children names of a directory. */
export const childrenOf = (image: Image, dir: string): string[] => {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const names: string[] = [];
  for (const p of [...image.dirs, ...image.links.keys()]) {
    if (p !== dir && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) {
      names.push(p.slice(prefix.length));
    }
  }
  return names;
};

/** `path -> text` (null for directories), sorted: the image's contents for display and comparison. */
export const imageFiles = (image: Image): Record<string, string | null> => {
  const out: [string, string | null][] = [];
  for (const d of image.dirs) if (d !== '/') out.push([d, null]);
  for (const [p, inode] of image.links) {
    out.push([p, new TextDecoder().decode(image.data.get(inode) ?? new Uint8Array())]);
  }
  return Object.fromEntries(out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/**
 * The image as a file-system port (mutating it in place), so that the same
 * StateDir code runs on it. Errors follow Linux for the cases StateDir meets.
 */
export const imageFs = (image: MutableImage): FsPort => {
  let nextInode = Math.max(0, ...image.links.values(), ...image.data.keys()) + 1;
  let nextFd = 3;
  const open = new Map<number, { inode: number; pos: number }>();
  const fail = (call: FsCall, code: string, path: string): E.Either<FsError, never> =>
    E.left(fsError(call, code, path));
  // ENOENT, or ENOTDIR when a parent is a file.
  const missing = (call: FsCall, path: string): E.Either<FsError, never> => {
    for (let d = goDir(path); d !== '/' && d !== '.'; d = goDir(d)) {
      if (image.links.has(d)) return fail(call, 'ENOTDIR', path);
      if (image.dirs.has(d)) break;
    }
    return fail(call, 'ENOENT', path);
  };
  const parentIsDir = (path: string) => image.dirs.has(goDir(path));
  const ok = E.right(undefined);
  return {
    stat: (raw) => {
      const p = goClean(raw);
      if (image.dirs.has(p)) return E.right({ isDirectory: true });
      if (image.links.has(p)) return E.right({ isDirectory: false });
      return missing('stat', raw);
    },
    readdir: (raw) => {
      const p = goClean(raw);
      if (image.links.has(p))
        return E.left(fsError('readdir', 'ENOTDIR', raw, { op: 'readdirent' }));
      if (!image.dirs.has(p)) return missing('readdir', raw);
      return E.right(childrenOf(image, p));
    },
    readFile: (raw) => {
      const p = goClean(raw);
      if (image.dirs.has(p)) return fail('readFile', 'EISDIR', raw);
      const inode = image.links.get(p);
      if (inode === undefined) return E.left(fsError('readFile', 'ENOENT', raw, { op: 'open' }));
      return E.right(image.data.get(inode) ?? new Uint8Array());
    },
    open: (raw) => {
      const p = goClean(raw);
      if (image.dirs.has(p)) return fail('open', 'EISDIR', raw);
      if (!parentIsDir(p)) return missing('open', raw);
      let inode = image.links.get(p);
      if (inode === undefined) {
        inode = nextInode++;
        image.links.set(p, inode);
      }
      image.data.set(inode, new Uint8Array());
      const fd = nextFd++;
      open.set(fd, { inode, pos: 0 });
      return E.right<FsError, FileHandle>({ fd, path: raw });
    },
    write: (file, bytes) => {
      const f = open.get(file.fd);
      if (f === undefined) return fail('write', 'EBADF', file.path);
      image.data.set(f.inode, pwrite(image.data.get(f.inode), f.pos, bytes));
      f.pos += bytes.length;
      return ok;
    },
    fsync: (file) => (open.has(file.fd) ? ok : fail('fsync', 'EBADF', file.path)),
    close: (file) => (open.delete(file.fd) ? ok : fail('close', 'EBADF', file.path)),
    rename: (rawFrom, rawTo) => {
      const from = goClean(rawFrom);
      const to = goClean(rawTo);
      const inode = image.links.get(from);
      const refuse = (code: string) => E.left(fsError('rename', code, rawFrom, { path2: rawTo }));
      if (inode === undefined) return image.dirs.has(from) ? refuse('EINVAL') : refuse('ENOENT');
      if (image.dirs.has(to)) return refuse('EISDIR');
      if (!parentIsDir(to)) return refuse('ENOENT');
      image.links.delete(from);
      image.links.set(to, inode);
      return ok;
    },
    unlink: (raw) => {
      const p = goClean(raw);
      if (image.dirs.has(p)) return fail('unlink', 'EISDIR', raw);
      if (!image.links.delete(p)) return missing('unlink', raw);
      return ok;
    },
    rmdir: (raw) => {
      const p = goClean(raw);
      if (image.links.has(p)) return fail('rmdir', 'ENOTDIR', raw);
      if (!image.dirs.has(p)) return missing('rmdir', raw);
      if (childrenOf(image, p).length > 0) return fail('rmdir', 'ENOTEMPTY', raw);
      image.dirs.delete(p);
      return ok;
    },
    mkdir: (raw) => {
      const p = goClean(raw);
      if (image.dirs.has(p) || image.links.has(p)) return fail('mkdir', 'EEXIST', raw);
      if (!parentIsDir(p)) return missing('mkdir', raw);
      image.dirs.add(p);
      return ok;
    },
    syncDir: (raw) => (image.dirs.has(goClean(raw)) ? ok : missing('syncDir', raw)),
  };
};

/** Bytes after writing `bytes` at `offset` (zero-filled if past the end). */
export const pwrite = (
  old: Uint8Array | undefined,
  offset: number,
  bytes: Uint8Array,
): Uint8Array => {
  const base = old ?? new Uint8Array();
  const out = new Uint8Array(Math.max(base.length, offset + bytes.length));
  out.set(base);
  out.set(bytes, offset);
  return out;
};
