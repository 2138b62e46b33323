import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { type ChangeVersion, changeVersion } from '../../src/model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../../src/model/hook.ts';
import { INT64_MAX, INT64_MIN } from '../../src/model/int64.ts';
import { relationId } from '../../src/model/relationId.ts';
import { emptyState, type State } from '../../src/model/state.ts';
import { type UnitName, unitName } from '../../src/model/unitName.ts';
import { validate } from '../../src/state/validate.ts';

export const R = relationId(7);
export const UNITS: readonly UnitName[] = ['a/0', 'foo-bar/1', 'x9/12'].map(unitName);

export const versionArb: fc.Arbitrary<ChangeVersion> = fc
  .oneof(
    fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 1n),
    fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
    fc.bigInt({ min: 0n, max: 20n }),
  )
  .map(changeVersion);

export interface Step {
  readonly pick: number;
  readonly version: ChangeVersion;
}

export const stepsArb = (maxLength: number): fc.Arbitrary<Step[]> =>
  fc.array(fc.record({ pick: fc.nat(), version: versionArb }), { maxLength });

/** The effect a successful write has on memory: the oracle, written independently of write.ts. */
export const afterWrite = (s: State, h: HookInfo): State => {
  if (h.kind === 'relation-broken') return { ...s, members: null };
  const members = new Map(s.members ?? []);
  if (h.kind === 'relation-departed') {
    if (s.members === null) return s;
    members.delete(h.remoteUnit);
    return { ...s, members };
  }
  members.set(h.remoteUnit, h.changeVersion);
  return { ...s, members, changedPending: h.kind === 'relation-joined' ? h.remoteUnit : '' };
};

/** Every hook Validate accepts in `s`, over the unit pool. */
const candidates = (s: State, version: ChangeVersion): HookInfo[] => {
  const all: HookInfo[] = [brokenHook(R)];
  for (const u of UNITS) {
    for (const kind of ['relation-joined', 'relation-changed', 'relation-departed'] as const) {
      all.push(unitHook(kind, R, u, version));
    }
  }
  return all.filter((h) => E.isRight(validate(s, h)));
};

/** A valid hook sequence from the empty state, with the state before and after each hook. */
export const validRun = (steps: readonly Step[]): { hooks: HookInfo[]; states: State[] } => {
  let s = emptyState(R);
  const hooks: HookInfo[] = [];
  const states: State[] = [s];
  for (const step of steps) {
    const options = candidates(s, step.version);
    // Broken is rare among the options; keep sequences long by taking it only sometimes.
    const pool = options.length > 1 ? options.filter((h) => h.kind !== 'relation-broken') : options;
    const chosen = pool[step.pick % Math.max(1, pool.length)];
    if (chosen === undefined) break;
    const h =
      step.pick % 7 === 0 && options.some((o) => o.kind === 'relation-broken')
        ? brokenHook(R)
        : chosen;
    hooks.push(h);
    s = afterWrite(s, h);
    states.push(s);
    if (s.members === null) break;
  }
  return { hooks, states };
};

export const anyHookArb: fc.Arbitrary<HookInfo> = fc.oneof(
  fc.constant(brokenHook(R)),
  fc
    .tuple(
      fc.constantFrom('relation-joined', 'relation-changed', 'relation-departed' as const),
      fc.constantFrom(...UNITS),
      versionArb,
    )
    .map(([k, u, v]) => unitHook(k, R, u, v)),
);

/** The relation as a disk reader sees it: absent (broken: no directory) or its state. */
export const diskView = (s: State | undefined): string => {
  if (s === undefined || s.members === null) return 'absent';
  const members = [...s.members]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([u, v]) => `${u}=${v}`)
    .join(',');
  return `{${members}}|${s.changedPending}`;
};

/** Memory as ReadStateDir would give it back (a broken relation reads as empty). */
export const readView = (s: State): string =>
  diskView(s.members === null ? { ...s, members: new Map() } : s);

/** Counts how often each interesting case was reached, to assert that each was. */
export const counter = () => {
  const counts = new Map<string, number>();
  return {
    hit: (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1),
    get: (name: string) => counts.get(name) ?? 0,
    all: () => Object.fromEntries(counts),
  };
};
