// Implementations that behave as Juju's 2015 Go code does where relspec
// chose, hardened or left the outcome undefined, served over the driver
// protocol like a foreign implementation:
//
//   node --import tsx tests/impls/go2015/serve.ts <mode>...
//
// modes (any combination):
//   map-order  the departures injected on a first change come in a random
//              order, different on every run (Go map iteration)
//   panics     Go's panics as errors, with Go's texts: `queue is empty`,
//              `source is empty`, a nil dereference on an unknown departure
//              (after the changed units were applied) and on a pending unit
//              that is not a member, a nil map after relation-broken; a
//              refused first change still starts the source
//   die        as panics, but the process dies at each panic, as Go did
//   yaml2      a yaml.v2-style decoder: a change-version that is no int64
//              fails with `yaml: unmarshal errors:` instead of "not set"
//   lenient    no unit-name checks and no confinement: `Foo-1` reads as
//              `Foo/1`, a write for `a/0/../../b` joins the name as a path,
//              Validate and source.live take any unit name or missing members
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  type RelationUnitsChange as Change,
  RelationUnitsChange,
} from '../../../src/model/change.ts';
import type { ChangeVersion } from '../../../src/model/changeVersion.ts';
import type { HookInfo } from '../../../src/model/hook.ts';
import { HookInfo as HookInfoC } from '../../../src/model/hook.ts';
import { State } from '../../../src/model/state.ts';
import { isUnitName, type UnitName } from '../../../src/model/unitName.ts';
import {
  defineOp,
  HandleName,
  lookupDir,
  lookupSource,
  type OpSpec,
  ok,
  type Reply,
  type Session,
  withDir,
  withSource,
} from '../../../src/protocol/index.ts';
import { type LiveSource, liveSource } from '../../../src/schedule/live.ts';
import { validate } from '../../../src/state/validate.ts';
import { goJoin } from '../../../src/statedir/goPath.ts';
import { classifyEntry, encodeUnitFile, parseUnitFile } from '../../../src/statedir/unitFile.ts';
import { alteredUpdate, liveOf, referenceHandler, serveMutant } from '../serve.ts';

const MODES = ['map-order', 'panics', 'die', 'yaml2', 'lenient'] as const;
type Mode = (typeof MODES)[number];
const modes = new Set(process.argv.slice(2));
for (const m of modes) {
  if (!(MODES as readonly string[]).includes(m)) {
    process.stderr.write(`usage: serve.ts <${MODES.join('|')}>...\n`);
    process.exit(2);
  }
}
const on = (m: Mode) => modes.has(m);
const panicking = on('panics') || on('die');

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** What Go does at a panic: the process dies (die), or the panic text comes back as an error. */
const panic = (session: Session, text: string): Reply => {
  if (on('die')) {
    process.stderr.write(`panic: ${text}\n`);
    process.exit(2);
  }
  return ok({ error: text }, session);
};

const shuffle = <A>(items: readonly A[]): A[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as A, out[i] as A];
  }
  return out;
};

/** The injected departures of a first change, in a fresh random order. */
const mapOrder = (before: LiveSource, after: LiveSource): LiveSource => {
  if (before.started || !after.started) return after;
  const injected = [...before.units.keys()].filter(
    (u) => after.units.get(u)?.pending === 'relation-departed',
  );
  const seqs = injected.map((u) => after.units.get(u)?.seq as number);
  const order = shuffle(injected);
  let units = after.units;
  let queue = after.queue;
  for (const [i, unit] of order.entries()) {
    const seq = seqs[i] as number;
    const e = after.units.get(unit);
    if (e !== undefined) units = units.with(unit, { ...e, seq });
    queue = queue.with(seq, unit);
  }
  return { ...after, units, queue };
};

const goChangeText = (c: Change): string => {
  const changed = [...c.changed]
    .map(([u, s]) => `"${u}":multiwatcher.UnitSettings{Version:${s}}`)
    .join(', ');
  const departed = c.departed.map((u) => `"${u}"`).join(', ');
  return `multiwatcher.RelationUnitsChange{Changed:map[string]multiwatcher.UnitSettings{${changed}}, Departed:[]string{${departed}}}`;
};

// Go's update after its own order of the injected departures (map-order), or the reference's.
const orderedUpdate = alteredUpdate((before, after) =>
  on('map-order') ? mapOrder(before, after) : after,
);
const update = orderedUpdate.handle as (
  session: Session,
  request: unknown,
) => ReturnType<OpSpec['handle']>;
const goUpdate = defineOp(
  'source.update',
  { source: HandleName, change: t.unknown },
  async (session, request) => {
    const decoded = RelationUnitsChange.decode(request.change);
    if (E.isLeft(decoded)) return update(session, request);
    const change = decoded.right;
    const before = liveOf(session, request.source);
    if (before === undefined) return update(session, { ...request, change });
    if (!before.started && change.departed.length > 0) {
      // Go marks the source started, applies nothing and returns its error.
      return ok(
        { error: `hook source watcher sent bad event: ${goChangeText(change)}` },
        withSource(session, request.source, { ...before, started: true }),
      );
    }
    const unknown = before.started ? change.departed.findIndex((u) => !before.units.has(u)) : -1;
    if (unknown >= 0) {
      // Go applies the changed units and the departures before the unknown one, then panics.
      const partial = { ...change, departed: change.departed.slice(0, unknown) };
      const reply = await update(session, { ...request, change: partial });
      return panic(
        reply._tag === 'Ok' && reply.session !== undefined ? reply.session : session,
        NIL_DEREF,
      );
    }
    return update(session, { ...request, change });
  },
);

const emptyText = (session: Session, name: string): string => {
  const s = lookupSource(session, name);
  return E.isRight(s) && s.right._tag === 'LiveSource' ? 'queue is empty' : 'source is empty';
};

/** next and pop: Go's panic texts on an empty source, a nil dereference for a pending non-member. */
const goNextPop = (op: 'source.next' | 'source.pop'): OpSpec => {
  const reference = referenceHandler(op);
  return defineOp(op, { source: HandleName }, async (session, request) => {
    const live = liveOf(session, request.source);
    if (live?.started && live.changedPending !== '') {
      if (!live.units.has(live.changedPending)) return panic(session, NIL_DEREF);
    }
    const reply = await reference(session, request);
    if (reply._tag === 'Ok' && reply.result.error === 'HookSource is empty') {
      return panic(session, emptyText(session, request.source));
    }
    return reply;
  });
};

const live = referenceHandler('source.live');
/** source.live: Go accepts any initial state (a pending non-member, any names, no members). */
const goLive = defineOp(
  'source.live',
  { source: HandleName, state: t.UnknownRecord },
  async (session, request) => {
    const state = on('lenient') ? looseState(request.state) : State.decode(request.state);
    if (E.isLeft(state)) return live(session, request);
    const s = state.right;
    if (!panicking || s.changedPending === '' || s.members?.has(s.changedPending) === true) {
      return live(session, { ...request, state: s });
    }
    const made = liveSource({ ...s, changedPending: '' });
    if (E.isLeft(made)) return live(session, { ...request, state: s });
    return ok(
      {},
      withSource(session, request.source, { ...made.right, changedPending: s.changedPending }),
    );
  },
);

/** A State from JSON without the unit grammar: what a lenient Go decoder builds. */
const looseState = (u: Record<string, unknown>): E.Either<unknown, State> => {
  const strict = State.decode(u);
  if (E.isRight(strict)) return strict;
  const members = u.members;
  if (members !== undefined && members !== null && typeof members !== 'object') return strict;
  const map = new Map<UnitName, ChangeVersion>();
  for (const [unit, v] of Object.entries((members ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'bigint' && typeof v !== 'number') return strict;
    map.set(unit as UnitName, BigInt(v) as ChangeVersion);
  }
  const id = u.relationId;
  if (typeof id !== 'number') return strict;
  const pending = typeof u.changedPending === 'string' ? u.changedPending : '';
  return E.right({
    relationId: id as State['relationId'],
    members: members === null ? null : map,
    changedPending: pending as UnitName | '',
  });
};

const looseHook = (u: unknown): E.Either<unknown, HookInfo> => {
  const strict = HookInfoC.decode(u);
  if (E.isRight(strict) || typeof u !== 'object' || u === null) return strict;
  const h = u as Record<string, unknown>;
  if (typeof h.kind !== 'string' || typeof h.remoteUnit !== 'string') return strict;
  if (typeof h.relationId !== 'number') return strict;
  const v = h.changeVersion;
  if (typeof v !== 'bigint' && typeof v !== 'number') return strict;
  return E.right({
    kind: h.kind,
    relationId: h.relationId,
    remoteUnit: h.remoteUnit,
    changeVersion: BigInt(v),
  } as unknown as HookInfo);
};

const validateRef = referenceHandler('validate');
const goValidate = defineOp(
  'validate',
  { state: t.UnknownRecord, hook: t.unknown },
  async (session, request) => {
    const state = looseState(request.state);
    const hook = looseHook(request.hook);
    if (E.isLeft(state) || E.isLeft(hook)) return validateRef(session, request);
    const verdict = validate(state.right, hook.right);
    return ok(E.isRight(verdict) ? { valid: true } : { valid: false, error: verdict.left.message });
  },
);

const refOpen = referenceHandler('statedir.open');

/** yaml.v2 cannot unmarshal a scalar that is no int64 into the version: it says so. */
const yaml2Error = (error: string, base: string, relationId: number): string | undefined => {
  const m =
    /^(.*invalid unit file "([^"]+)": )("changed-version" not set|change-version .* is outside the int64 range)$/.exec(
      error,
    );
  if (m === null) return undefined;
  const [, prefix, name] = m as unknown as [string, string, string];
  const text = readFileSync(goJoin(base, String(relationId), name), 'utf8');
  const value = /^change-version:[ \t]*(\S.*)$/m.exec(text)?.[1];
  if (value === undefined || value === '~' || value === 'null') return undefined;
  const tag = /^[-+]?[0-9]+$/.test(value) ? '!!int' : '!!str';
  return `${prefix}yaml: unmarshal errors:\n  line 1: cannot unmarshal ${tag} \`${value}\` into int64`;
};

const open = async (
  session: Session,
  request: { dir: string; base: string; relationId: number },
) => {
  const reply = await refOpen(session, request);
  const error = reply._tag === 'Ok' ? reply.result.error : undefined;
  if (!on('yaml2') || typeof error !== 'string') return reply;
  const v2 = yaml2Error(error, request.base, request.relationId);
  return v2 === undefined ? reply : ok({ error: v2 }, session);
};
/** statedir.open: unit files whose names are no unit names are members all the same. */
const goOpen = defineOp(
  'statedir.open',
  { dir: HandleName, base: t.string, relationId: t.number },
  async (session, request) => {
    const reply = await open(session, request);
    const error = reply._tag === 'Ok' ? reply.result.error : undefined;
    if (typeof error !== 'string' || !error.includes('is not a valid unit name')) return reply;
    if (!on('lenient')) return reply;
    const path = goJoin(request.base, String(request.relationId));
    const members = new Map<UnitName, ChangeVersion>();
    let changedPending = '';
    for (const name of readdirSync(path).sort()) {
      const entry = classifyEntry(name);
      if (entry._tag === 'Ignored') continue;
      const file = parseUnitFile(readFileSync(goJoin(path, name), 'utf8'));
      if (E.isLeft(file) || file.right.version === undefined) return reply;
      members.set(entry.candidate as UnitName, file.right.version);
      if (file.right.changedPending) changedPending = entry.candidate;
    }
    const state = {
      relationId: request.relationId as State['relationId'],
      members,
      changedPending: changedPending as UnitName | '',
    };
    return ok({ state: looseJson(state) }, withDir(session, request.dir, { path, state }));
  },
);

/** A state as JSON without the codec (which would refuse names that are no unit names). */
const looseJson = (s: State) => ({
  relationId: s.relationId,
  members: s.members === null ? null : Object.fromEntries([...s.members].sort()),
  changedPending: s.changedPending,
});

const stateRef = referenceHandler('statedir.state');
const goStateOp = defineOp('statedir.state', { dir: HandleName }, async (session, request) => {
  const dir = lookupDir(session, request.dir);
  if (E.isLeft(dir)) return stateRef(session, request);
  const names = [...(dir.right.state.members?.keys() ?? [])];
  return names.every(isUnitName)
    ? stateRef(session, request)
    : ok({ state: looseJson(dir.right.state) });
});

const write = referenceHandler('statedir.write');

/** After relation-broken a unit write panics on the nil map, once the file is written. */
const panickingWrite = async (session: Session, request: { dir: string; hook: HookInfo }) => {
  const dir = lookupDir(session, request.dir);
  const hook = request.hook;
  const broken = E.isRight(dir) && dir.right.state.members === null;
  const reply = await write(session, request);
  const unitWrite = hook.kind === 'relation-joined' || hook.kind === 'relation-changed';
  if (panicking && broken && unitWrite && reply._tag === 'Ok' && reply.result.error === undefined) {
    return panic(session, 'assignment to entry in nil map');
  }
  return reply;
};

const goWrite = defineOp('statedir.write', { dir: HandleName, hook: HookInfoC }, panickingWrite);

/** Go replaces the first "/" of the unit name and joins the rest as a path. */
const lenientWrite = defineOp(
  'statedir.write',
  { dir: HandleName, hook: t.unknown },
  async (session, request): Promise<Reply> => {
    const strict = HookInfoC.decode(request.hook);
    if (E.isRight(strict)) return panickingWrite(session, { ...request, hook: strict.right });
    const dir = lookupDir(session, request.dir);
    const hook = looseHook(request.hook);
    if (E.isLeft(hook) || E.isLeft(dir) || hook.right.kind === 'relation-broken') {
      return { _tag: 'Refused', message: 'invalid request: hook: not a hook' };
    }
    const h = hook.right;
    const file = goJoin(dir.right.path, h.remoteUnit.replace('/', '-'));
    const prefix = `failed to write "${h.kind}" hook info for "${h.remoteUnit}" on state directory: `;
    if (h.kind === 'relation-departed') return ok({}, session);
    try {
      writeFileSync(file, encodeUnitFile(h.changeVersion, h.kind === 'relation-joined'));
    } catch (e) {
      return ok({ error: `${prefix}${(e as Error).message}` }, session);
    }
    return ok({}, session);
  },
);

const ops: OpSpec[] = [];
if (on('map-order')) ops.push(orderedUpdate);
if (panicking) ops.push(goUpdate, goNextPop('source.next'), goNextPop('source.pop'));
if (panicking || on('lenient')) ops.push(goLive, goWrite);
if (on('lenient') || on('yaml2')) ops.push(goOpen);
if (on('lenient')) ops.push(goValidate, goStateOp, lenientWrite);

await serveMutant(`go2015 ${[...modes].join(' ')}`, ops);
