import type { TraceEvent } from '../../spec/trace.ts';
import type { RelationUnitsChange } from '../model/change.ts';
import type { ChangeVersion } from '../model/changeVersion.ts';
import { ZERO_VERSION } from '../model/changeVersion.ts';
import type { HookInfo } from '../model/hook.ts';
import type { RelationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import { isUnitName, type UnitName } from '../model/unitName.ts';

// A fast path for decoding trace events, for the checker's throughput. It
// only ever ACCEPTS: it returns the same event the io-ts TraceEvent codec
// would, or undefined, and then the codec decides (and names the problem).
// tests/check/fastDecode.test.ts checks that it agrees with the codec.

type Json = Record<string, unknown>;

const isRecord = (u: unknown): u is Json =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

// Unit names repeat a lot in a trace; remember the ones already checked, up
// to a bound. A name is kept as its own copy, and every later occurrence is
// replaced by that copy: a name cut out of a read buffer would otherwise
// keep the whole buffer alive in the monitor's maps, and equal names that
// are one string compare at once.
const KNOWN_MAX = 100_000;
const knownNames = new Map<string, UnitName>();
/** `u` as a unit name (the remembered copy when there is one), or undefined. */
export const unit = (u: unknown): UnitName | undefined => {
  if (typeof u !== 'string') return undefined;
  const known = knownNames.get(u);
  if (known !== undefined) return known;
  if (!isUnitName(u)) return undefined;
  if (knownNames.size >= KNOWN_MAX) return u;
  const copy = Buffer.from(u, 'latin1').toString('latin1') as UnitName;
  knownNames.set(copy, copy);
  return copy;
};

const version = (u: unknown): ChangeVersion | undefined =>
  typeof u === 'number' && Number.isSafeInteger(u) ? (BigInt(u) as ChangeVersion) : undefined;

const relation = (u: unknown): RelationId | undefined =>
  typeof u === 'number' && Number.isSafeInteger(u) ? (u as RelationId) : undefined;

const KINDS = new Set(['relation-joined', 'relation-changed', 'relation-departed']);

const hook = (u: unknown): HookInfo | undefined => {
  if (!isRecord(u)) return undefined;
  const relationId = relation(u.relationId);
  if (relationId === undefined) return undefined;
  const kind = u.kind;
  if (kind === 'relation-broken') {
    if (u.remoteUnit !== '' || u.changeVersion !== 0) return undefined;
    return { kind, relationId, remoteUnit: '', changeVersion: ZERO_VERSION };
  }
  if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
  const remoteUnit = unit(u.remoteUnit);
  const changeVersion = version(u.changeVersion);
  if (remoteUnit === undefined || changeVersion === undefined) return undefined;
  return {
    kind: kind as 'relation-joined' | 'relation-changed' | 'relation-departed',
    relationId,
    remoteUnit,
    changeVersion,
  };
};

const change = (u: unknown): RelationUnitsChange | undefined => {
  if (!isRecord(u)) return undefined;
  const changed = new Map<UnitName, ChangeVersion>();
  if (u.changed !== undefined) {
    if (!isRecord(u.changed)) return undefined;
    for (const key in u.changed) {
      const name = unit(key);
      const settings = u.changed[key];
      if (name === undefined || !isRecord(settings)) return undefined;
      const v = version(settings.version);
      if (v === undefined) return undefined;
      changed.set(name, v);
    }
  }
  const departed: UnitName[] = [];
  if (u.departed !== undefined) {
    if (!Array.isArray(u.departed)) return undefined;
    for (const d of u.departed) {
      const name = unit(d);
      if (name === undefined) return undefined;
      departed.push(name);
    }
  }
  return { changed, departed };
};

const state = (u: unknown): State | undefined => {
  if (!isRecord(u)) return undefined;
  const relationId = relation(u.relationId);
  if (relationId === undefined) return undefined;
  let members: Map<UnitName, ChangeVersion> | null = null;
  if (u.members !== null) {
    if (!isRecord(u.members)) return undefined;
    members = new Map();
    for (const key in u.members) {
      const name = unit(key);
      const v = version(u.members[key]);
      if (name === undefined || v === undefined) return undefined;
      members.set(name, v);
    }
  }
  const pending = u.changedPending;
  const changedPending = pending === '' ? '' : unit(pending);
  if (changedPending === undefined) return undefined;
  return { relationId, members, changedPending };
};

export const decodeTraceEventFast = (u: unknown): TraceEvent | undefined => {
  if (!isRecord(u)) return undefined;
  switch (u.type) {
    case 'hook':
    case 'commit': {
      const h = hook(u.hook);
      return h === undefined ? undefined : { type: u.type, hook: h };
    }
    case 'change': {
      const c = change(u.change);
      return c === undefined ? undefined : { type: 'change', change: c };
    }
    case 'start': {
      const s = state(u.state);
      return s === undefined ? undefined : { type: 'start', state: s };
    }
    case 'crash':
    case 'dying':
    case 'idle':
      return { type: u.type };
    default:
      return undefined;
  }
};
