import type {
  Hook,
  LocalUnit,
  RelationInfo,
  RelationState,
  RemoteRelation,
} from '../../../src/juju3/types.ts';
import type { Snapshot, TraceEvent } from '../trace.ts';
import type { Juju3ClauseId } from './clauses.ts';

// The guarantees of spec/juju-3/GUARANTEES.md as a monitor over a trace. It
// is written from the clauses, not from the reference: its own view of the
// local state, its own list of what is due. It stops at the first clause
// broken and says which event broke it.

export interface Violation {
  readonly clause: Juju3ClauseId;
  /** 0-based index of the event that broke it. */
  readonly index: number;
  readonly message: string;
}

type Members = ReadonlyMap<string, bigint>;

interface Tracked {
  readonly info: RelationInfo;
  /** The committed state; null once relation-broken was committed. */
  readonly state: RelationState | null;
  readonly created: boolean;
}

interface Uncommitted {
  readonly rel: string;
  readonly hook: Hook;
}

const EMPTY: Members = new Map();

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

const appOf = (unit: string): string => unit.slice(0, Math.max(0, unit.indexOf('/')));

const sameHook = (a: Hook, b: Hook) =>
  a.kind === b.kind &&
  a.relationId === b.relationId &&
  a.remoteUnit === b.remoteUnit &&
  a.remoteApplication === b.remoteApplication &&
  a.changeVersion === b.changeVersion &&
  a.departingUnit === b.departingUnit;

const describe = (h: Hook) =>
  `${h.kind}${h.remoteUnit !== '' ? ` ${h.remoteUnit}` : h.remoteApplication !== '' ? ` (app ${h.remoteApplication})` : ''} v${h.changeVersion}`;

const sameVersions = (a: Members, b: Members) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

const sameState = (a: RelationState, b: RelationState) =>
  a.relationId === b.relationId &&
  sameVersions(a.members ?? EMPTY, b.members ?? EMPTY) &&
  sameVersions(a.applicationMembers, b.applicationMembers) &&
  a.changedPending === b.changedPending;

/** The unit or the relation is winding down: the snapshot's members no longer count. */
const windingDown = (local: LocalUnit, remote: RemoteRelation) =>
  local.life === 'dying' || remote.life === 'dying' || remote.suspended;

/** What the local unit should be told about, as the members it sees. */
const view = (local: LocalUnit, remote: RemoteRelation) => ({
  units: windingDown(local, remote) ? EMPTY : remote.members,
  apps: windingDown(local, remote) ? EMPTY : remote.applicationMembers,
});

const relationCreatedOwed = (t: Tracked, local: LocalUnit, remote: RemoteRelation) =>
  !t.created && local.life === 'alive' && remote.life === 'alive';

const rejoins = (local: LocalUnit, remote: RemoteRelation) =>
  local.life === 'alive' && remote.life === 'alive' && !remote.suspended;

const mk = (kind: Hook['kind'], info: RelationInfo, f: Partial<Hook>): Hook => ({
  kind,
  relationId: info.relationId,
  remoteUnit: f.remoteUnit ?? '',
  remoteApplication: f.remoteApplication ?? '',
  changeVersion: f.changeVersion ?? 0n,
  departingUnit: f.departingUnit ?? '',
});

const unitHook = (
  kind: Hook['kind'],
  info: RelationInfo,
  unit: string,
  version: bigint,
  departingUnit = '',
) =>
  mk(kind, info, {
    remoteUnit: unit,
    remoteApplication: appOf(unit),
    changeVersion: version,
    departingUnit,
  });

/** Every hook due for one relation, in the order the clauses rank them (J8). */
export const dueHooks = (t: Tracked, local: LocalUnit, remote: RemoteRelation): Hook[] => {
  const s = t.state;
  if (s === null)
    return rejoins(local, remote) && local.life === 'alive'
      ? [mk('relation-created', t.info, { remoteApplication: t.info.remoteApp })]
      : [];
  if (relationCreatedOwed(t, local, remote))
    return [mk('relation-created', t.info, { remoteApplication: t.info.remoteApp })];
  const { units, apps } = view(local, remote);
  const members = s.members ?? EMPTY;
  const due: Hook[] = [];
  if (s.changedPending !== '')
    due.push(
      unitHook('relation-changed', t.info, s.changedPending, units.get(s.changedPending) ?? 0n),
    );
  const names = [...new Set([...members.keys(), ...units.keys()])].sort(byteOrder);
  const localGone = local.life !== 'alive' || local.applicationLife !== 'alive';
  for (const u of names)
    if (members.has(u) && !units.has(u))
      due.push(
        unitHook(
          'relation-departed',
          t.info,
          u,
          members.get(u) ?? 0n,
          localGone ? t.info.localUnit : u,
        ),
      );
  if (windingDown(local, remote) && !t.info.peer)
    due.push(mk('relation-broken', t.info, { remoteApplication: t.info.remoteApp }));
  for (const app of [...apps.keys()].sort(byteOrder)) {
    const v = apps.get(app) ?? 0n;
    if ((s.applicationMembers.get(app) ?? 0n) !== v)
      due.push(mk('relation-changed', t.info, { remoteApplication: app, changeVersion: v }));
  }
  for (const u of names)
    if (units.has(u) && !members.has(u))
      due.push(unitHook('relation-joined', t.info, u, units.get(u) ?? 0n));
  for (const u of names) {
    const v = units.get(u);
    const m = members.get(u);
    if (v !== undefined && m !== undefined && v !== m)
      due.push(unitHook('relation-changed', t.info, u, v));
  }
  return due;
};

const apply = (t: Tracked, h: Hook): Tracked => {
  if (h.kind === 'relation-broken') return { ...t, state: null, created: false };
  const base = t.state ?? {
    relationId: t.info.relationId,
    members: EMPTY,
    applicationMembers: EMPTY,
    changedPending: '',
  };
  const members = new Map(base.members ?? EMPTY);
  const apps = new Map(base.applicationMembers);
  let pending = base.changedPending;
  if (h.kind === 'relation-departed') {
    if (h.remoteUnit === '') apps.delete(h.remoteApplication);
    else members.delete(h.remoteUnit);
  } else {
    if (h.remoteUnit === '') apps.set(h.remoteApplication, h.changeVersion);
    else members.set(h.remoteUnit, h.changeVersion);
    pending = h.kind === 'relation-joined' ? h.remoteUnit : '';
  }
  return {
    ...t,
    created: t.created || h.kind === 'relation-created',
    state: { ...base, members, applicationMembers: apps, changedPending: pending },
  };
};

type Check = Violation | undefined;

/** The per-hook clauses, in the order the monitor asks them. */
const checkHook = (
  index: number,
  t: Tracked,
  h: Hook,
  snap: Snapshot,
  remote: RemoteRelation,
  others: ReadonlyMap<string, Tracked>,
  rel: string,
): Check => {
  const v = (clause: Juju3ClauseId, message: string): Violation => ({ clause, index, message });
  const local = snap.local;
  if (t.state === null) {
    if (h.kind !== 'relation-created' || !rejoins(local, remote))
      return v('J4a', `${describe(h)} after relation-broken of relation ${t.info.relationId}`);
    t = {
      ...t,
      created: false,
      state: {
        relationId: t.info.relationId,
        members: EMPTY,
        applicationMembers: EMPTY,
        changedPending: '',
      },
    };
  }
  const s = t.state as RelationState;
  const members = s.members ?? EMPTY;
  if (h.relationId !== t.info.relationId)
    return v('J1', `hook for relation ${h.relationId} on relation ${t.info.relationId}`);
  const wantApp =
    h.kind === 'relation-created' || h.kind === 'relation-broken'
      ? t.info.remoteApp
      : h.remoteUnit !== ''
        ? appOf(h.remoteUnit)
        : undefined;
  if ((wantApp !== undefined && h.remoteApplication !== wantApp) || h.remoteApplication === '')
    return v('J1', `${describe(h)} carries remote application "${h.remoteApplication}"`);
  // J10 across relations.
  // (The hook's own relation is J9's business.)
  const owedCreated = [...snap.relations].some(([name, r]) => {
    const o = name === rel ? undefined : others.get(name);
    return (
      o !== undefined && (o.state !== null ? relationCreatedOwed(o, local, r) : rejoins(local, r))
    );
  });
  if (owedCreated && h.kind !== 'relation-created')
    return v('J10', `${describe(h)} while a relation of the snapshot is owed relation-created`);
  if (t.info.peer && h.kind !== 'relation-created') {
    const busy = [...snap.relations].find(([name, r]) => {
      const o = others.get(name);
      return name !== rel && o !== undefined && !o.info.peer && dueHooks(o, local, r).length > 0;
    });
    if (busy !== undefined)
      return v(
        'J10',
        `${describe(h)} on peer relation while non-peer relation "${busy[0]}" has a hook due`,
      );
  }
  // J9 relation-created.
  if (h.kind === 'relation-created') {
    if (!relationCreatedOwed(t, local, remote))
      return v('J9', `relation-created for relation ${t.info.relationId}, which is not owed one`);
    return undefined;
  }
  if (relationCreatedOwed(t, local, remote))
    return v('J9', `${describe(h)} before relation-created`);
  // J2: the owed relation-changed.
  if (s.changedPending !== '') {
    if (h.kind !== 'relation-changed' || h.remoteUnit !== s.changedPending)
      return v('J2', `${describe(h)} while relation-changed for ${s.changedPending} is owed`);
    const want = view(local, remote).units.get(s.changedPending) ?? 0n;
    if (h.changeVersion !== want)
      return v(
        'J7',
        `owed relation-changed for ${s.changedPending} carries v${h.changeVersion}, the snapshot has v${want}`,
      );
    return undefined;
  }
  const { units, apps } = view(local, remote);
  switch (h.kind) {
    case 'relation-broken':
      if (t.info.peer) return v('J4d', 'relation-broken on a peer relation');
      if (members.size > 0)
        return v('J4b', `relation-broken with members ${[...members.keys()].join(', ')}`);
      if (!windingDown(local, remote))
        return v('J4c', 'relation-broken while unit and relation are alive and active');
      break;
    case 'relation-departed': {
      if (!members.has(h.remoteUnit)) return v('J3a', `${describe(h)}: not a member`);
      if (units.has(h.remoteUnit)) return v('J5', `${describe(h)}: still in the snapshot`);
      const localGone = local.life !== 'alive' || local.applicationLife !== 'alive';
      const want = localGone ? t.info.localUnit : h.remoteUnit;
      if (h.departingUnit !== want)
        return v('J5', `${describe(h)}: departing unit "${h.departingUnit}", expected "${want}"`);
      if (h.changeVersion !== members.get(h.remoteUnit))
        return v('J7', `${describe(h)}: the member has v${members.get(h.remoteUnit)}`);
      break;
    }
    case 'relation-joined':
      if (members.has(h.remoteUnit)) return v('J3b', `${describe(h)}: already a member`);
      if (!units.has(h.remoteUnit)) return v('J6', `${describe(h)}: not in the snapshot`);
      if (h.changeVersion !== units.get(h.remoteUnit))
        return v('J7', `${describe(h)}: the snapshot has v${units.get(h.remoteUnit)}`);
      break;
    case 'relation-changed':
      if (h.remoteUnit === '') {
        const want = apps.get(h.remoteApplication);
        if (want === undefined || want === (s.applicationMembers.get(h.remoteApplication) ?? 0n))
          return v('J6', `${describe(h)}: the snapshot shows no new application version`);
        if (h.changeVersion !== want) return v('J7', `${describe(h)}: the snapshot has v${want}`);
      } else {
        if (!members.has(h.remoteUnit)) return v('J3a', `${describe(h)}: not a member`);
        const want = units.get(h.remoteUnit);
        if (want === undefined || want === members.get(h.remoteUnit))
          return v('J6', `${describe(h)}: the snapshot shows no new version`);
        if (h.changeVersion !== want) return v('J7', `${describe(h)}: the snapshot has v${want}`);
      }
      break;
  }
  const first = dueHooks(t, local, remote)[0];
  if (first === undefined || !sameHook(first, h))
    return v(
      'J8',
      `${describe(h)}, but ${first === undefined ? 'nothing' : describe(first)} comes first`,
    );
  return undefined;
};

const infoOf = (e: RelationInfo): RelationInfo => ({
  relationId: e.relationId,
  peer: e.peer,
  localUnit: e.localUnit,
  remoteApp: e.remoteApp,
});

/** Check a whole trace; undefined when every clause holds. */
export const monitorJuju3 = (events: readonly TraceEvent[]): Violation | undefined => {
  let rels = new Map<string, Tracked>();
  let restored = true;
  let before: Map<string, Tracked> = new Map();
  let uncommitted: Uncommitted | undefined;
  let crashed: Uncommitted | undefined;
  for (const [index, e] of events.entries()) {
    const v = (clause: Juju3ClauseId, message: string): Violation => ({ clause, index, message });
    switch (e.event) {
      case 'restart':
        before = rels;
        crashed = uncommitted;
        uncommitted = undefined;
        rels = new Map();
        restored = false;
        break;
      case 'open':
        rels.set(e.rel, {
          info: infoOf(e),
          created: e.created,
          state: {
            relationId: e.relationId,
            members: EMPTY,
            applicationMembers: EMPTY,
            changedPending: '',
          },
        });
        break;
      case 'restore': {
        if (restored) return v('JT2', `restore of "${e.rel}" without a restart`);
        const old = before.get(e.rel);
        if (old !== undefined) {
          const candidates = [old, ...(crashed?.rel === e.rel ? [apply(old, crashed.hook)] : [])];
          if (!candidates.some((c) => c.state !== null && sameState(c.state, e.state)))
            return v('J11b', `state of "${e.rel}" read back differs from the committed state`);
        }
        rels.set(e.rel, {
          info: infoOf(e),
          created: true,
          state: e.state,
        });
        break;
      }
      case 'hook': {
        restored = true;
        const t = rels.get(e.rel);
        if (t === undefined) return v('JT1', `hook for unknown relation "${e.rel}"`);
        if (uncommitted !== undefined)
          return v(
            'J11a',
            `${describe(e.hook)} before ${describe(uncommitted.hook)} was committed`,
          );
        const remote = e.snapshot.relations.get(e.rel);
        if (remote === undefined)
          return v('JT1', `hook for relation "${e.rel}", which the snapshot does not show`);
        const bad = checkHook(index, t, e.hook, e.snapshot, remote, rels, e.rel);
        if (bad !== undefined) return bad;
        uncommitted = { rel: e.rel, hook: e.hook };
        break;
      }
      case 'commit': {
        const t = rels.get(e.rel);
        if (t === undefined) return v('JT1', `commit for unknown relation "${e.rel}"`);
        if (
          uncommitted === undefined ||
          uncommitted.rel !== e.rel ||
          !sameHook(uncommitted.hook, e.hook)
        )
          return v('J11a', `commit of ${describe(e.hook)}, which is not the hook that ran`);
        rels.set(e.rel, apply(t, e.hook));
        uncommitted = undefined;
        break;
      }
      case 'idle': {
        restored = true;
        if (uncommitted !== undefined)
          return v('J11a', `idle before ${describe(uncommitted.hook)} was committed`);
        for (const [name, remote] of e.snapshot.relations) {
          const t = rels.get(name);
          if (t === undefined) continue;
          const due = dueHooks(t, e.snapshot.local, remote)[0];
          if (due !== undefined) return v('J12', `idle while ${describe(due)} is due on "${name}"`);
        }
        break;
      }
    }
  }
  return undefined;
};
