import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { fileBytes } from './arbitraries.ts';

// Directory trees of every kind of entry a hostile user can make: regular
// files (text, binary, big), directories, FIFOs, and symbolic links to a
// device, to themselves, to nowhere and to a parent.

export type Entry =
  | { readonly kind: 'file'; readonly path: readonly string[]; readonly bytes: Buffer }
  | {
      readonly kind: 'dir' | 'fifo' | 'zero' | 'loop' | 'dangling' | 'up';
      readonly path: readonly string[];
    };

export const entry = (names: fc.Arbitrary<string>, depth: number): fc.Arbitrary<Entry> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('file' as const),
        path: fc.array(names, { minLength: 1, maxLength: depth }),
        bytes: fileBytes,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constantFrom(
          'dir',
          'fifo',
          'zero',
          'loop',
          'dangling',
          'up',
        ) as fc.Arbitrary<'dir'>,
        path: fc.array(names, { minLength: 1, maxLength: depth }),
      }),
    },
  );

/** How many entries of each kind were made (to see that the generators reach them all). */
export const made = new Map<string, number>();

/** Make the entries under `root`, parents first; entries that clash are skipped. */
export const makeTree = (root: string, entries: readonly Entry[]): void => {
  for (const e of entries) {
    const path = join(root, ...e.path);
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      switch (e.kind) {
        case 'file':
          writeFileSync(path, e.bytes, { flag: 'wx' });
          break;
        case 'dir':
          mkdirSync(path);
          break;
        case 'fifo':
          execFileSync('mkfifo', [path], { stdio: 'ignore' });
          break;
        case 'zero':
          symlinkSync('/dev/zero', path);
          break;
        case 'loop':
          symlinkSync(e.path[e.path.length - 1] as string, path);
          break;
        case 'dangling':
          symlinkSync('no-such-entry', path);
          break;
        case 'up':
          symlinkSync('..', path);
          break;
      }
      const kind = e.kind === 'file' && e.bytes.length > 4096 ? 'big file' : e.kind;
      made.set(kind, (made.get(kind) ?? 0) + 1);
    } catch {
      // A clash with an earlier entry (a file where a directory goes...): skip it.
    }
  }
};

/** Every entry under `root` (not following links) with its type: to see that nothing changed. */
export const listing = (root: string): string[] => {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = lstatSync(full);
      const kind = st.isDirectory()
        ? 'd'
        : st.isSymbolicLink()
          ? 'l'
          : st.isFIFO()
            ? 'p'
            : `f${st.size}`;
      out.push(`${prefix}${name} ${kind}`);
      if (st.isDirectory()) walk(full, `${prefix}${name}/`);
    }
  };
  if (existsSync(root)) walk(root, '');
  return out;
};
