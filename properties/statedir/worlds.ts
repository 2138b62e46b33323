import * as nodefs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Volume } from 'memfs';
import type { FsPort } from '../../src/statedir/fsPort.ts';
import { memFs } from '../../src/statedir/memFs.ts';
import { nodeFs } from '../../src/statedir/nodeFs.ts';

/** A fresh, empty place for one property run: a memfs volume or a real temporary directory. */
export interface World {
  readonly name: string;
  readonly fs: FsPort;
  readonly base: string;
  /** Everything under base: relative path -> bytes as text (null for a directory). */
  snapshot(): Record<string, string | null>;
  dispose(): void;
}

const sorted = (entries: [string, string | null][]) =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export const memWorld = (): World => {
  const vol = new Volume();
  vol.mkdirSync('/agent', { recursive: true });
  const base = '/agent/relations';
  return {
    name: 'memfs',
    fs: memFs(vol),
    base,
    snapshot: () =>
      sorted(
        Object.entries(vol.toJSON())
          .filter(([p]) => p.startsWith(`${base}/`))
          .map(([p, v]) => [p.slice(base.length + 1), v]),
      ),
    dispose: () => {},
  };
};

export const nodeWorld = (): World => {
  const root = nodefs.mkdtempSync(path.join(os.tmpdir(), 'relspec-prop-'));
  const base = path.join(root, 'relations');
  const walk = (dir: string, out: [string, string | null][]) => {
    if (!nodefs.existsSync(dir)) return;
    for (const name of nodefs.readdirSync(dir)) {
      const full = path.join(dir, name);
      const rel = path.relative(base, full);
      if (nodefs.statSync(full).isDirectory()) {
        out.push([rel, null]);
        walk(full, out);
      } else out.push([rel, nodefs.readFileSync(full, 'utf8')]);
    }
  };
  return {
    name: 'node:fs',
    fs: nodeFs(),
    base,
    snapshot: () => {
      const out: [string, string | null][] = [];
      walk(base, out);
      // memfs lists only empty directories; keep the same shape.
      return sorted(
        out.filter(([p, v]) => v !== null || !out.some(([q]) => q.startsWith(`${p}/`))),
      );
    },
    dispose: () => nodefs.rmSync(root, { recursive: true, force: true }),
  };
};
