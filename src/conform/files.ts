import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Files } from '../fixtures/fixture.ts';

/**
 * The same snapshot as the fixtures' `snapshotFiles`, read synchronously:
 * scenario directories are tiny and on a memory file system, where the
 * thread-pool round trips of the asynchronous calls cost more than the reads.
 */
export const snapshotFilesSync = (base: string): Files => {
  const out: Record<string, string | null> = {};
  const walk = (dir: string, prefix: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.length === 0 && prefix !== '') out[prefix] = null;
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full, rel);
      else out[rel] = readFileSync(full, 'utf8');
    }
  };
  try {
    walk(base, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return out;
};
