import type { AppLife, LocalUnit, RemoteRelation } from '../types.ts';

/**
 * The remote side of a generated scenario: what the controller would report
 * in the next snapshot. It evolves through the actions below; the agent
 * side is the implementation, asked for hooks against each snapshot.
 */
export interface RelSpec {
  readonly relationId: number;
  readonly peer: boolean;
  readonly created: boolean;
}

export const LOCAL_APP = 'wp';
export const LOCAL_UNIT = 'wp/0';

export const remoteAppOf = (r: RelSpec, index: number): string =>
  r.peer ? LOCAL_APP : `db${index}`;

export type Action =
  | { readonly a: 'join'; readonly rel: number; readonly unit: number; readonly version: bigint }
  | { readonly a: 'badName'; readonly rel: number; readonly name: string }
  | { readonly a: 'leave'; readonly rel: number; readonly unit: number }
  | { readonly a: 'version'; readonly rel: number; readonly unit: number; readonly version: bigint }
  | { readonly a: 'appVersion'; readonly rel: number; readonly version: bigint }
  | { readonly a: 'relDying'; readonly rel: number }
  | { readonly a: 'suspend'; readonly rel: number }
  | { readonly a: 'resume'; readonly rel: number }
  | { readonly a: 'unitDying' }
  | { readonly a: 'appLife'; readonly life: AppLife }
  | { readonly a: 'leader' }
  | { readonly a: 'run' }
  | { readonly a: 'runRel'; readonly rel: number }
  | { readonly a: 'settle' }
  | { readonly a: 'restart' }
  | { readonly a: 'crash' }
  | { readonly a: 'probe'; readonly kind: number; readonly unit: number; readonly version: bigint }
  | { readonly a: 'badCommit'; readonly rel: number }
  | { readonly a: 'badYaml'; readonly text: string }
  /** A request sent as it is (curated fixtures); "rel" names a relation by index. */
  | { readonly a: 'raw'; readonly request: Readonly<Record<string, unknown>> };

export interface Scenario {
  readonly relations: readonly RelSpec[];
  readonly actions: readonly Action[];
  /** Raw requests can leave the agent's trace incomplete: skip the monitor. */
  readonly unmonitored?: boolean;
}

export interface World {
  readonly local: LocalUnit;
  readonly remotes: readonly RemoteRelation[];
}

export const initialWorld = (s: Scenario): World => ({
  local: { life: 'alive', leader: false, applicationLife: 'alive' },
  remotes: s.relations.map(() => ({
    life: 'alive',
    suspended: false,
    members: new Map(),
    applicationMembers: new Map(),
  })),
});

export const unitName = (s: Scenario, rel: number, unit: number): string => {
  const r = s.relations[rel];
  // Peer units never include the local unit wp/0.
  return r === undefined ? 'x/0' : `${remoteAppOf(r, rel)}/${r.peer ? unit + 1 : unit}`;
};

const updateRel = (w: World, rel: number, f: (r: RemoteRelation) => RemoteRelation): World => ({
  ...w,
  remotes: w.remotes.map((r, i) => (i === rel ? f(r) : r)),
});

const set = (m: ReadonlyMap<string, bigint>, k: string, v: bigint) => new Map(m).set(k, v);
const del = (m: ReadonlyMap<string, bigint>, k: string) => {
  const out = new Map(m);
  out.delete(k);
  return out;
};

const present = (r: RemoteRelation, i: number): string | undefined => {
  const names = [...r.members.keys()].sort();
  return names.length === 0 ? undefined : names[i % names.length];
};

/** The world after a remote action; agent actions leave it as it is. */
export const applyAction = (s: Scenario, w: World, x: Action): World => {
  switch (x.a) {
    case 'join':
      return updateRel(w, x.rel, (r) => ({
        ...r,
        members: set(r.members, unitName(s, x.rel, x.unit), x.version),
      }));
    case 'badName':
      return updateRel(w, x.rel, (r) => ({ ...r, members: set(r.members, x.name, 1n) }));
    // A leave or a version change picks among the units present, so that it happens.
    case 'leave':
      return updateRel(w, x.rel, (r) => {
        const u = present(r, x.unit);
        return u === undefined ? r : { ...r, members: del(r.members, u) };
      });
    case 'version':
      return updateRel(w, x.rel, (r) => {
        const u = present(r, x.unit);
        return u === undefined ? r : { ...r, members: set(r.members, u, x.version) };
      });
    case 'appVersion': {
      const spec = s.relations[x.rel];
      if (spec === undefined) return w;
      return updateRel(w, x.rel, (r) => ({
        ...r,
        applicationMembers: set(r.applicationMembers, remoteAppOf(spec, x.rel), x.version),
      }));
    }
    case 'relDying':
      return updateRel(w, x.rel, (r) => ({ ...r, life: 'dying' }));
    case 'suspend':
      return updateRel(w, x.rel, (r) => ({ ...r, suspended: true }));
    case 'resume':
      return updateRel(w, x.rel, (r) => ({ ...r, suspended: false }));
    case 'unitDying':
      return { ...w, local: { ...w.local, life: 'dying' } };
    case 'appLife':
      return { ...w, local: { ...w.local, applicationLife: x.life } };
    case 'leader':
      return { ...w, local: { ...w.local, leader: !w.local.leader } };
    default:
      return w;
  }
};
