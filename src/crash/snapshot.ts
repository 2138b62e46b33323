import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { RelationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import { stateEquals } from '../model/state.ts';
import { cloneImage, type Image, imageFs } from '../statedir/powercut/image.ts';
import { readAllStateDirs } from '../statedir/read.ts';

/**
 * What a base directory holds, as a power-cut image rooted at `/base`
 * (directories, names bound to inodes, contents), so that the power-cut
 * model and the reference reader both work on it without touching a disk.
 */
export const IMAGE_BASE = '/base';

/** Reads the tree under `dir` (which may be missing) into an image. */
export const snapshotDir = (dir: string): Image => {
  const dirs = new Set<string>(['/']);
  const links = new Map<string, number>();
  const data = new Map<number, Uint8Array>();
  let inode = 1;
  const walk = (real: string, virtual: string) => {
    dirs.add(virtual);
    for (const entry of fs.readdirSync(real, { withFileTypes: true })) {
      const r = path.join(real, entry.name);
      const v = `${virtual}/${entry.name}`;
      if (entry.isDirectory()) walk(r, v);
      else {
        links.set(v, inode);
        data.set(inode, new Uint8Array(fs.readFileSync(r)));
        inode += 1;
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir, IMAGE_BASE);
  return { dirs, links, data };
};

/** Writes an image's tree under `dir` (created; it must not exist yet). */
export const materialise = (image: Image, dir: string): void => {
  fs.mkdirSync(dir, { recursive: true });
  const real = (v: string) => path.join(dir, v.slice(IMAGE_BASE.length));
  const under = (p: string) => p === IMAGE_BASE || p.startsWith(`${IMAGE_BASE}/`);
  for (const d of [...image.dirs].filter(under).sort()) fs.mkdirSync(real(d), { recursive: true });
  for (const [p, inode] of image.links) {
    if (!under(p)) continue;
    fs.mkdirSync(path.dirname(real(p)), { recursive: true });
    fs.writeFileSync(real(p), image.data.get(inode) ?? new Uint8Array());
  }
};

/** What the reference reads from an image: the relations by id, or the error text. */
export type Reading = E.Either<string, ReadonlyMap<RelationId, State>>;

export const readImage = (image: Image): Reading => {
  const read = readAllStateDirs(imageFs(cloneImage(image)), IMAGE_BASE);
  if (E.isLeft(read)) return E.left(read.left.message);
  return E.right(new Map([...read.right].map(([id, dir]) => [id, dir.state])));
};

export const statesEqual = (
  a: ReadonlyMap<RelationId, State>,
  b: ReadonlyMap<RelationId, State>,
): boolean => {
  if (a.size !== b.size) return false;
  for (const [id, s] of a) {
    const other = b.get(id);
    if (other === undefined || !stateEquals(s, other)) return false;
  }
  return true;
};

/** A stable key of an image's contents (for de-duplicating power-cut states). */
export const imageKey = (image: Image): string => {
  const parts: string[] = [];
  for (const d of [...image.dirs].sort()) parts.push(`d ${d}`);
  for (const [p, inode] of [...image.links].sort(([a], [b]) => (a < b ? -1 : 1))) {
    parts.push(`f ${p} ${Buffer.from(image.data.get(inode) ?? new Uint8Array()).toString('hex')}`);
  }
  return parts.join('\n');
};

/** `path -> text` of the files under the base, for replay files and messages. */
export const imageText = (image: Image): Record<string, string | null> => {
  const out: Record<string, string | null> = {};
  for (const d of [...image.dirs].sort()) {
    if (d.startsWith(`${IMAGE_BASE}/`)) out[d.slice(IMAGE_BASE.length + 1)] = null;
  }
  for (const [p, inode] of [...image.links].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (p.startsWith(`${IMAGE_BASE}/`)) {
      out[p.slice(IMAGE_BASE.length + 1)] = Buffer.from(image.data.get(inode) ?? []).toString(
        'utf8',
      );
    }
  }
  return out;
};
