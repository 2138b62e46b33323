import * as E from 'fp-ts/lib/Either.js';
import { CLAUSE_IDS } from '../../spec/model/clauses.ts';
import { compareIds } from '../conform/tally.ts';
import type { RunDocument } from './document.ts';

/**
 * `relspec report merge`: the shards of one run (`conform --shard k/n
 * --json`), joined into the document of the whole run, as spec/REPORT.md
 * ("Merging documents") says. Only a complete set of shards of one run
 * merges: any difference in what was run, a missing or repeated shard, is
 * refused with the file and the field, since a partial or mixed verdict
 * would claim more than was checked.
 */

export interface NamedRun {
  readonly file: string;
  readonly doc: RunDocument;
}

/** The fields that say which run a document belongs to; they must agree. */
const SAME_RUN: readonly [string, (d: RunDocument) => unknown][] = [
  ['implementation.command', (d) => d.implementation.command],
  ['implementation.hello', (d) => d.implementation.hello],
  ['level', (d) => d.level],
  ['seed', (d) => d.seed],
  ['runs', (d) => d.runs],
  ['maxSteps', (d) => d.maxSteps],
  ['fixtures', (d) => d.fixtures],
];

type Shard = NonNullable<RunDocument['shard']>;

const checkShards = (runs: readonly NamedRun[]): E.Either<string, readonly NamedRun[]> => {
  const first = runs[0];
  if (first === undefined) return E.left('nothing to merge: give the shard documents');
  const shards: [NamedRun, Shard][] = [];
  for (const r of runs) {
    if (r.doc.mergedShards !== undefined) {
      return E.left(`${r.file}: already a merged document; merge the shard documents themselves`);
    }
    if (r.doc.shard === undefined) {
      return E.left(`${r.file}: not a shard (no "shard" field: run conform with --shard k/n)`);
    }
    shards.push([r, r.doc.shard]);
  }
  const n = (shards[0] as [NamedRun, Shard])[1].n;
  const byK = new Map<number, string>();
  for (const [r, s] of shards) {
    if (s.n !== n) {
      return E.left(`${r.file}: shard is ${s.k}/${s.n}, but ${first.file} is a shard of ${n}`);
    }
    const seen = byK.get(s.k);
    if (seen !== undefined) return E.left(`shard ${s.k}/${n} given twice: ${seen} and ${r.file}`);
    byK.set(s.k, r.file);
  }
  const missing: string[] = [];
  for (let k = 1; k <= n; k++) if (!byK.has(k)) missing.push(`${k}/${n}`);
  if (missing.length > 0) return E.left(`incomplete run: shard(s) ${missing.join(', ')} missing`);
  for (const r of runs) {
    for (const [field, get] of SAME_RUN) {
      const a = JSON.stringify(get(first.doc));
      const b = JSON.stringify(get(r.doc));
      if (a !== b) return E.left(`${r.file}: ${field} is ${b}, but ${first.file} has ${a}`);
    }
  }
  // Shard order, not the order given: the merged document is the same however listed.
  return E.right(shards.sort(([, x], [, y]) => x.k - y.k).map(([r]) => r));
};

/** Rows of the same key, in first-seen order, combined pairwise. */
const combine = <A>(
  lists: readonly (readonly A[])[],
  key: (a: A) => string,
  add: (x: A, y: A) => A,
): A[] => {
  const rows = new Map<string, A>();
  for (const list of lists) {
    for (const a of list) {
      const k = key(a);
      const had = rows.get(k);
      rows.set(k, had === undefined ? a : add(had, a));
    }
  }
  return [...rows.values()];
};

type Phase = RunDocument['phases'][number];
type Id = RunDocument['ids'][number];
type Advisory = RunDocument['advisories'][number];

const addPhases = (x: Phase, y: Phase): Phase => {
  // A phase that ran in one shard and was skipped in another says both.
  const note = x.note === y.note ? x.note : [x.note ?? 'ran', y.note ?? 'ran'].join(' / ');
  return {
    name: x.name,
    checked: x.checked + y.checked,
    failures: x.failures + y.failures,
    seconds: x.seconds + y.seconds,
    ...(note !== undefined ? { note } : {}),
  };
};

const addIds = (x: Id, y: Id): Id => {
  const advised = (x.advised ?? 0) + (y.advised ?? 0);
  return {
    id: x.id,
    title: x.title,
    reached: x.reached + y.reached,
    failed: x.failed + y.failed,
    ...(x.advised !== undefined || y.advised !== undefined ? { advised } : {}),
  };
};

/** The same advisory met in several shards: counted once, with the lowest shard's example. */
const addAdvisories = (x: Advisory, y: Advisory): Advisory => ({
  ...x,
  ...(x.count !== undefined || y.count !== undefined
    ? { count: (x.count ?? 1) + (y.count ?? 1) }
    : {}),
});

const byId = compareIds(CLAUSE_IDS);

export const mergeRuns = (runs: readonly NamedRun[]): E.Either<string, RunDocument> => {
  const checked = checkShards(runs);
  if (E.isLeft(checked)) return checked;
  const docs = checked.right.map((r) => r.doc);
  const first = docs[0] as RunDocument;
  const exitCode = Math.max(...docs.map((d) => d.exitCode)) as RunDocument['exitCode'];
  return E.right({
    format: first.format,
    version: first.version,
    implementation: first.implementation,
    level: first.level,
    seed: first.seed,
    runs: first.runs,
    maxSteps: first.maxSteps,
    fixtures: first.fixtures,
    exitCode,
    seconds: Math.max(...docs.map((d) => d.seconds)),
    phases: combine(
      docs.map((d) => d.phases),
      (p) => p.name,
      addPhases,
    ),
    // Ids one shard never met come last in that shard: put the table back in order.
    ids: combine(
      docs.map((d) => d.ids),
      (i) => i.id,
      addIds,
    ).sort((a, b) => byId(a.id, b.id)),
    failures: docs.flatMap((d) => d.failures),
    advisories: combine(
      docs.map((d) => d.advisories),
      (a) => `${a.id}\u0000${a.phase ?? ''}`,
      addAdvisories,
    ),
    mergedShards: docs.length,
  });
};
