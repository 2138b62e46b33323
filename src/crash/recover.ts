import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as t from 'io-ts';
import { change } from '../model/change.ts';
import { changeVersion } from '../model/changeVersion.ts';
import { decodeWith } from '../model/decode.ts';
import { type HookInfo, HookInfo as HookInfoC } from '../model/hook.ts';
import type { RelationId } from '../model/relationId.ts';
import { emptyState, State, type State as StateT } from '../model/state.ts';
import type { Client } from '../runner/client.ts';
import { dyingHooks } from '../schedule/dying.ts';
import { liveNext, livePop, liveSource, liveUpdate } from '../schedule/live.ts';
import { commitHook } from '../state/commit.ts';
import { validate } from '../state/validate.ts';
import { type CallOutcome, describeOutcome, domainError, send } from './drive.ts';
import { type Continuation, monitorRuns } from './monitorTrace.ts';
import type { Scenario } from './scenario.ts';
import { statesEqual } from './snapshot.ts';

/** The known quirk the continuation can meet after a crash. */
export const STRAY_BLOCKS_BROKEN =
  'a stray temporary file left by the crash makes relation-broken fail (remove: directory not empty), as in Juju';

/** Whether a directory holds entries, all of which the reader ignores (no `-<number>` suffix). */
const onlyIgnoredEntries = (dir: string): boolean => {
  try {
    const entries = fs.readdirSync(dir);
    return entries.length > 0 && entries.every((e) => !/-(\+|-)?[0-9]+$/.test(e));
  } catch {
    return false;
  }
};

/** What a state directory holds: the relations by id. */
export type States = ReadonlyMap<RelationId, StateT>;

const decodeStates = decodeWith(t.record(t.string, State), 'states');
const decodeState = decodeWith(State, 'state');

export const showStates = (states: States): string =>
  [...states.values()]
    .map((s) => {
      const members =
        s.members === null
          ? 'null'
          : `{${[...s.members].map(([u, v]) => `${u}: ${v}`).join(', ')}}`;
      return `${s.relationId}: ${members}${s.changedPending === '' ? '' : ` pending ${s.changedPending}`}`;
    })
    .join('; ') || '(no relations)';

const fail = (outcome: CallOutcome, what: string): string =>
  `${what} did not succeed: ${describeOutcome(outcome)}`;

/** `statedir.readAll` on the implementation, decoded. */
export const readAll = async (client: Client, base: string): Promise<E.Either<string, States>> => {
  const outcome = await send(client, { op: 'statedir.readAll', base });
  if (outcome._tag !== 'Result' || domainError(outcome) !== undefined) {
    return E.left(fail(outcome, 'statedir.readAll'));
  }
  const decoded = decodeStates(outcome.result.states);
  if (E.isLeft(decoded)) return E.left(`statedir.readAll answered ${decoded.left.message}`);
  return E.right(new Map(Object.values(decoded.right).map((s) => [s.relationId, s])));
};

/** `statedir.open` on a new handle, decoded. */
export const openDir = async (
  client: Client,
  handle: string,
  base: string,
  id: RelationId,
): Promise<E.Either<string, StateT>> => {
  const outcome = await send(client, { op: 'statedir.open', dir: handle, base, relationId: id });
  if (outcome._tag !== 'Result' || domainError(outcome) !== undefined) {
    return E.left(fail(outcome, `statedir.open of relation ${id}`));
  }
  const decoded = decodeState(outcome.result.state);
  return E.isLeft(decoded) ? E.left(`statedir.open answered ${decoded.left.message}`) : decoded;
};

/** `statedir.state` of a handle, decoded. */
export const handleState = async (
  client: Client,
  handle: string,
): Promise<E.Either<string, StateT>> => {
  const outcome = await send(client, { op: 'statedir.state', dir: handle });
  if (outcome._tag !== 'Result') return E.left(fail(outcome, 'statedir.state'));
  const decoded = decodeState(outcome.result.state);
  return E.isLeft(decoded) ? E.left(`statedir.state answered ${decoded.left.message}`) : decoded;
};

/**
 * The hooks a restarted agent runs for one relation: a fresh live source on
 * the state read back, given the watcher's current view as its first change;
 * or the dying source when the relation is dying.
 */
export const continuationHooks = (
  scenario: Scenario,
  id: RelationId,
  state: StateT,
): E.Either<string, readonly HookInfo[]> => {
  const view = scenario.views.get(id);
  if (view === undefined || view.kind === 'dying') return E.right(dyingHooks(state));
  const start = liveSource(state);
  if (E.isLeft(start)) return E.left(start.left.message);
  const updated = liveUpdate(
    start.right,
    change([...view.members].map(([u, v]) => [u, changeVersion(v)] as const)),
  );
  if (E.isLeft(updated)) return E.left(updated.left.message);
  const hooks: HookInfo[] = [];
  let source = updated.right;
  for (let guard = 0; guard < 1000; guard += 1) {
    const next = liveNext(source);
    if (O.isNone(next)) return E.right(hooks);
    hooks.push(next.value);
    const popped = livePop(source);
    if (E.isLeft(popped)) return E.left(popped.left.message);
    source = popped.right;
  }
  return E.left('the live source did not run dry');
};

/** Where every relation ends once the continuation has run: the view, or gone when dying. */
export const finalStates = (scenario: Scenario): States => {
  const out = new Map<RelationId, StateT>();
  for (const [id, view] of scenario.views) {
    if (view.kind === 'live') {
      out.set(id, {
        ...emptyState(id),
        members: new Map([...view.members].map(([u, v]) => [u, changeVersion(v)])),
      });
    }
  }
  return out;
};

/** The states a recovery may read: before or after the interrupted request. */
export interface Expected {
  readonly before: States;
  readonly after: States;
}

export type Recovery =
  | {
      readonly _tag: 'Recovered';
      readonly which: 'before' | 'after';
      /** Known quirks of the format met on the way (they are not failures). */
      readonly quirks: readonly string[];
    }
  | { readonly _tag: 'Failed'; readonly reason: string };

/**
 * The checks after a crash, on the implementation started again on the same
 * base: `statedir.readAll` and `statedir.open` succeed and read the state
 * before or after the interrupted request; then the agent goes on from
 * there and must reach the watcher's view, every hook accepted by Validate
 * against the state read back (G9b, G9c).
 */
export const checkRecovery = async (
  client: Client,
  base: string,
  scenario: Scenario,
  expected: Expected,
  tag: string,
  crashStep: number,
): Promise<Recovery> => {
  const failed = (reason: string): Recovery => ({ _tag: 'Failed', reason });
  const runs: Continuation[] = [];
  const read = await readAll(client, base);
  if (E.isLeft(read)) return failed(`recovery: ${read.left}`);
  const states = read.right;
  const which = statesEqual(states, expected.before)
    ? 'before'
    : statesEqual(states, expected.after)
      ? 'after'
      : undefined;
  if (which === undefined) {
    return failed(
      `recovery read ${showStates(states)}; expected the state before the request (${showStates(expected.before)}) or after it (${showStates(expected.after)})`,
    );
  }
  const quirks: string[] = [];
  const stuck = new Set<RelationId>();
  for (const id of scenario.views.keys()) {
    const handle = `${tag}-${id}`;
    const opened = await openDir(client, handle, base, id);
    if (E.isLeft(opened)) return failed(`recovery: ${opened.left}`);
    const agreed = states.get(id) ?? emptyState(id);
    if (!statesEqual(new Map([[id, opened.right]]), new Map([[id, agreed]]))) {
      return failed(
        `recovery: statedir.open of relation ${id} read ${showStates(new Map([[id, opened.right]]))} but statedir.readAll read ${showStates(new Map([[id, agreed]]))}`,
      );
    }
    const hooks = continuationHooks(scenario, id, opened.right);
    if (E.isLeft(hooks)) return failed(`continuation of relation ${id}: ${hooks.left}`);
    let state = opened.right;
    const ran: HookInfo[] = [];
    const run = { relation: id, read: opened.right, hooks: ran, committed: 0 };
    runs.push(run);
    if (scenario.views.get(id)?.kind === 'live') {
      const ensured = await send(client, { op: 'statedir.ensure', dir: handle });
      if (ensured._tag !== 'Result' || domainError(ensured) !== undefined) {
        return failed(`continuation: ${fail(ensured, `statedir.ensure of relation ${id}`)}`);
      }
    }
    for (const hook of hooks.right) {
      const valid = validate(state, hook);
      if (E.isLeft(valid)) return failed(`continuation (G9c): ${valid.left.message}`);
      ran.push(hook);
      const written = await send(client, {
        op: 'statedir.write',
        dir: handle,
        hook: HookInfoC.encode(hook),
      });
      const error = domainError(written);
      if (
        hook.kind === 'relation-broken' &&
        /directory not empty/i.test(error ?? '') &&
        state.members !== null &&
        state.members.size === 0 &&
        onlyIgnoredEntries(path.join(base, String(id)))
      ) {
        // Remove needs an empty directory, and the crash left a temporary
        // file that readers ignore: Juju's agent is stuck here too.
        quirks.push(STRAY_BLOCKS_BROKEN);
        stuck.add(id);
        break;
      }
      if (written._tag !== 'Result' || error !== undefined) {
        const what = `statedir.write ${hook.kind}${hook.remoteUnit === '' ? '' : ` ${hook.remoteUnit}`}`;
        return failed(`continuation: ${fail(written, what)}`);
      }
      state = commitHook(state, hook);
      run.committed += 1;
    }
  }
  const final = await readAll(client, base);
  if (E.isLeft(final)) return failed(`after the continuation: ${final.left}`);
  const want = new Map(finalStates(scenario));
  for (const id of stuck) want.set(id, emptyState(id));
  if (!statesEqual(final.right, want)) {
    return failed(
      `after the continuation the directory reads ${showStates(final.right)}, not the watcher's view ${showStates(want)}`,
    );
  }
  const broken = monitorRuns(scenario, crashStep, runs);
  if (broken !== undefined) return failed(broken);
  return { _tag: 'Recovered', which, quirks };
};
