import * as t from 'io-ts';
import { ChangeVersion } from '../model/changeVersion.ts';
import {
  HOOK_KINDS,
  type Hook,
  type HookKind,
  type LocalUnit,
  type RelationState,
  type RemoteRelation,
  type Versions,
} from './types.ts';

// The JSON shapes of the juju-3 protocol (spec/PROTOCOL.md, section "Profile
// juju-3") as io-ts codecs: every outside value is decoded with these.

const withDefault = <C extends t.Mixed>(codec: C, fallback: t.TypeOf<C>) =>
  new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    codec.name,
    codec.is,
    (u, c) => (u === undefined ? t.success(fallback) : codec.validate(u, c)),
    codec.encode,
  );

/** A relation id: a non-negative Go int that JSON carries exactly. */
export const RelationId = new t.Type<number, number, unknown>(
  'RelationId',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) =>
    typeof u === 'number' && Number.isSafeInteger(u) && u >= 0
      ? t.success(u)
      : typeof u === 'bigint'
        ? t.failure(u, c, 'expected a relation id below 2^53')
        : t.failure(u, c, 'expected a non-negative integer relation id'),
  (n) => n,
);

/** A map of names to int64 versions, as a JSON object. */
export const VersionsC = new t.Type<Versions, Record<string, bigint>, unknown>(
  'Versions',
  (u): u is Versions => u instanceof Map,
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u))
      return t.failure(u, c, 'expected an object of versions');
    const out = new Map<string, bigint>();
    for (const [k, v] of Object.entries(u)) {
      const d = ChangeVersion.validate(v, [...c, { key: k, type: ChangeVersion, actual: v }]);
      if (d._tag === 'Left') return d;
      out.set(k, d.right);
    }
    return t.success(out);
  },
  (m) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
);

const Version = withDefault(ChangeVersion, 0n as t.TypeOf<typeof ChangeVersion>);

const kinds = Object.fromEntries(HOOK_KINDS.map((k) => [k, null])) as Record<HookKind, null>;
export const HookKindC = t.keyof(kinds, 'HookKind');

export const HookC = new t.Type<Hook, Record<string, unknown>, unknown>(
  'Hook',
  (u): u is Hook => typeof u === 'object' && u !== null && 'kind' in u,
  (u, c) => {
    const d = t
      .type({
        kind: HookKindC,
        relationId: RelationId,
        remoteUnit: withDefault(t.string, ''),
        remoteApplication: withDefault(t.string, ''),
        changeVersion: Version,
        departingUnit: withDefault(t.string, ''),
      })
      .validate(u, c);
    return d._tag === 'Left'
      ? d
      : t.success({
          kind: d.right.kind,
          relationId: d.right.relationId,
          remoteUnit: d.right.remoteUnit,
          remoteApplication: d.right.remoteApplication,
          changeVersion: d.right.changeVersion,
          departingUnit: d.right.departingUnit,
        });
  },
  (h) => ({
    kind: h.kind,
    relationId: h.relationId,
    remoteUnit: h.remoteUnit,
    remoteApplication: h.remoteApplication,
    changeVersion: h.changeVersion,
    departingUnit: h.departingUnit,
  }),
);

const Life = t.keyof({ alive: null, dying: null }, 'Life');
const AppLife = t.keyof({ alive: null, dying: null, dead: null }, 'AppLife');

export const LocalUnitC = new t.Type<LocalUnit, unknown, unknown>(
  'LocalUnit',
  (u): u is LocalUnit => typeof u === 'object' && u !== null,
  (u, c) => {
    const d = t
      .type({
        life: Life,
        leader: withDefault(t.boolean, false),
        applicationLife: withDefault(AppLife, 'alive'),
      })
      .validate(u, c);
    return d._tag === 'Left' ? d : t.success(d.right);
  },
  (l) => l,
);

export const RemoteRelationC = new t.Type<RemoteRelation, unknown, unknown>(
  'RemoteRelation',
  (u): u is RemoteRelation => typeof u === 'object' && u !== null,
  (u, c) => {
    const d = t
      .type({
        life: Life,
        suspended: withDefault(t.boolean, false),
        members: withDefault(VersionsC, new Map()),
        applicationMembers: withDefault(VersionsC, new Map()),
      })
      .validate(u, c);
    return d._tag === 'Left' ? d : t.success(d.right);
  },
  (r) => ({
    life: r.life,
    suspended: r.suspended,
    members: VersionsC.encode(r.members),
    applicationMembers: VersionsC.encode(r.applicationMembers),
  }),
);

export const StateC = new t.Type<RelationState, Record<string, unknown>, unknown>(
  'RelationState',
  (u): u is RelationState => typeof u === 'object' && u !== null,
  (u, c) => {
    const d = t
      .type({
        relationId: RelationId,
        members: withDefault(t.union([VersionsC, t.null]), new Map()),
        applicationMembers: withDefault(VersionsC, new Map()),
        changedPending: withDefault(t.string, ''),
      })
      .validate(u, c);
    return d._tag === 'Left' ? d : t.success(d.right);
  },
  (s) => ({
    relationId: s.relationId,
    members: s.members === null ? null : VersionsC.encode(s.members),
    applicationMembers: VersionsC.encode(s.applicationMembers),
    changedPending: s.changedPending,
  }),
);

export const encodeHook = (h: Hook): Record<string, unknown> => HookC.encode(h);
export const encodeState = (s: RelationState): Record<string, unknown> => StateC.encode(s);
