import * as path from 'node:path';

// Go's filepath.Join and Clean on POSIX paths: error messages quote the
// cleaned path exactly as Go would (`a//b/` becomes `a/b`).

/** Go's filepath.Clean. */
export const goClean = (p: string): string => {
  const normal = path.posix.normalize(p === '' ? '.' : p);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
};

/** Go's filepath.Join: empty elements are skipped, the result is cleaned. */
export const goJoin = (...parts: readonly string[]): string => {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : goClean(kept.join('/'));
};

/** Go's filepath.Dir. */
export const goDir = (p: string): string => goClean(path.posix.dirname(p));
