import * as E from 'fp-ts/lib/Either.js';
import { abstractBase, BASE, substitute } from '../fixtures/base.ts';
import type { ErrorText, Request, Response } from '../fixtures/fixture.ts';
import { HOOK_KINDS } from '../model/hookKind.ts';
import type { RunnerError } from '../runner/errors.ts';
import type { ProbeHook, Scenario, ScenarioStep, ValidateProbe } from './scenario.ts';
import {
  applyEvent,
  applyWire,
  emptyWorld,
  encodeWireChange,
  snapshot,
  type WireChange,
  type World,
} from './world.ts';

/** One protocol exchange of a scenario, with what it exercises. */
export interface Exchange {
  /** The request as written in a fixture: `$BASE` for the base directory. */
  readonly request: Request;
  readonly response: Response;
  readonly errorText: ErrorText;
  /** Rule ids (spec/RULES.md) this exchange exercises. */
  readonly rules: readonly string[];
  /** Which scenario step it belongs to, for people reading a counterexample. */
  readonly note: string;
}

/** A trace line (spec/trace.ts) in its JSON form, for the guarantee model. */
export type TraceLine = Readonly<Record<string, unknown>> & { readonly type: string };

export interface Transcript {
  readonly exchanges: readonly Exchange[];
  readonly trace: readonly TraceLine[];
}

/** How the driver reaches an implementation: one request, one response (or a runner verdict). */
export type Call = (request: Request) => Promise<E.Either<RunnerError, Response>>;

export interface DriveFailure {
  readonly _tag: 'RunnerFailed';
  readonly error: RunnerError;
  readonly transcript: Transcript;
}

// Error texts behaviour.md fixes are compared exactly; the others (source
// misuse, watcher errors, protocol errors) only need to be errors.
export const errorTextOf = (op: string, response: Response): ErrorText =>
  !response.ok ? 'any' : op === 'validate' || op.startsWith('statedir.') ? 'exact' : 'any';

const PROBE_UNITS = ['mysql/0', 'mysql/1', 'foo-bar/1', 'wordpress/2'] as const;

const probeUnit = (i: number): string => PROBE_UNITS[i % PROBE_UNITS.length] as string;

const probeHookJson = (relationId: number, h: ProbeHook) => {
  const kind = HOOK_KINDS[h.kind % HOOK_KINDS.length] as string;
  const rel = h.otherRelation ? relationId + 1 : relationId;
  return kind === 'relation-broken'
    ? { kind, relationId: rel, remoteUnit: '', changeVersion: 0n }
    : { kind, relationId: rel, remoteUnit: probeUnit(h.unit), changeVersion: h.version };
};

const probeStateJson = (relationId: number, p: ValidateProbe) => {
  const members =
    p.members === null
      ? null
      : Object.fromEntries(p.members.map((m, i) => [probeUnit(m), BigInt(i + 1)]));
  const pending = p.pending !== null && members !== null ? probeUnit(p.pending) : '';
  return {
    relationId,
    members,
    changedPending: members !== null && pending in members ? pending : '',
  };
};

/** With `memberVersion`, the probe's hook is for one of the state's members, with its version. */
const memberHook = (
  state: ReturnType<typeof probeStateJson>,
  hook: ReturnType<typeof probeHookJson>,
  p: ValidateProbe,
) => {
  const members = Object.entries(state.members ?? {});
  const member = members[p.hook.unit % Math.max(1, members.length)];
  if (!p.memberVersion || member === undefined || hook.kind === 'relation-broken') return hook;
  return { ...hook, remoteUnit: member[0], changeVersion: member[1] };
};

/** Which Validate rule a message (or acceptance) shows. */
export const validateRule = (error: unknown): string => {
  if (typeof error !== 'string') return 'R-VALIDATE-ACCEPT';
  if (error.includes('expected relation')) return 'R-VALIDATE-RELATION';
  if (error.includes('relation is broken')) return 'R-VALIDATE-BROKEN';
  if (error.includes('while units still present')) return 'R-VALIDATE-BROKEN-HOOK';
  if (error.includes('expected "relation-changed"')) return 'R-VALIDATE-PENDING';
  if (error.includes('unit already joined')) return 'R-VALIDATE-JOINED';
  if (error.includes('unit has not joined')) return 'R-VALIDATE-NOT-JOINED';
  return 'R-VALIDATE-PREFIX';
};

/** A result that is an error of the specified behaviour (not a protocol error). */
const isDomainError = (r: Response): boolean =>
  r.ok && (typeof r.result.error === 'string' || r.result.valid === false);

/**
 * The rules a raw watcher change (one that may break A1-A4) meets, from the
 * reference's answer: a refused first change with departures, a refused
 * departure of an unknown unit, or the ordering rules of an applied change.
 */
const rawChangeRules = (first: boolean, change: WireChange, r: Response): string[] => {
  if (isDomainError(r)) {
    return first && change.departed.length > 0
      ? ['R-LIVE-FIRST-NO-DEPARTURES']
      : ['R-LIVE-UNKNOWN-DEPARTURE', 'Q-UNKNOWN-DEPARTURE-ERROR'];
  }
  const out: string[] = [];
  if (change.changed.length > 1) out.push('R-LIVE-SORTED');
  if (change.departed.length > 0) out.push('R-LIVE-DEPART');
  if (change.departed.length > 1) out.push('R-LIVE-DEPART-ORDER');
  return out;
};

const DRAIN_LIMIT = 64;

/** `$SOURCE` and `$DIR` in every string of a value become the current handle names. */
const withHandles = (value: unknown, source: string, dir: string): unknown => {
  if (typeof value === 'string') {
    return value.split('$SOURCE').join(source).split('$DIR').join(dir);
  }
  if (Array.isArray(value)) return value.map((v) => withHandles(v, source, dir));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withHandles(v, source, dir)]),
    );
  }
  return value;
};

class Stop {
  constructor(readonly error: RunnerError) {}
}

/**
 * Play a scenario against one implementation, deciding each request from
 * the answers so far (the hook `next` shows is the one validated and
 * written). Against the reference this yields the expected exchanges; the
 * same scenario can then be replayed request by request anywhere.
 */
export const drive = async (
  scenario: Scenario,
  call: Call,
  base: string,
): Promise<E.Either<DriveFailure, Transcript>> => {
  const exchanges: Exchange[] = [];
  const trace: TraceLine[] = [];
  const rel = scenario.relationId;
  let note = 'start';

  const send = async (request: Request, rules: (r: Response) => readonly string[]) => {
    const answer = await call(substitute(request, base) as Request);
    if (E.isLeft(answer)) throw new Stop(answer.left);
    const response = abstractBase(answer.right, base) as Response;
    exchanges.push({
      request,
      response,
      errorText: errorTextOf(request.op, response),
      rules: rules(response),
      note,
    });
    return response;
  };
  const result = (r: Response): Record<string, unknown> => (r.ok ? r.result : {});

  let world: World = emptyWorld;
  let generation = 0;
  let dir = 'd0';
  let source = 's0';
  let kind: 'live' | 'dying' = 'live';
  let started = false;
  let lists = 0;
  let hadRestartState = false;

  const open = async () => {
    const opened = await send({ op: 'statedir.open', dir, base: BASE, relationId: rel }, (r) => {
      const members = (result(r).state as { members?: object | null } | undefined)?.members;
      return members === null || members === undefined || Object.keys(members).length === 0
        ? ['R-DIR-PATH', 'R-READ-MISSING']
        : ['R-DIR-PATH', 'R-READ-UNIT'];
    });
    const state = result(opened).state ?? { relationId: rel, members: {}, changedPending: '' };
    trace.push({ type: 'start', state });
    const members = (state as { members?: Record<string, unknown> | null }).members;
    hadRestartState = members !== null && members !== undefined && Object.keys(members).length > 0;
    if (kind === 'dying') {
      await send({ op: 'source.dying', source, state }, () => ['R-DYING-ORDER']);
      trace.push({ type: 'dying' });
    } else {
      // The agent makes sure the relation's directory exists before any hook (Juju's Ensure).
      await send({ op: 'statedir.ensure', dir }, () => ['R-DIR-ENSURE']);
      await send({ op: 'source.live', source, state }, () => ['R-LIVE-INITIAL-MEMBERS']);
    }
    started = false;
  };

  const committedState = async () => {
    const r = await send({ op: 'statedir.state', dir }, () => ['R-DIR-PROTOCOL']);
    return result(r).state;
  };

  const isEmpty = async () => {
    const r = await send({ op: 'source.empty', source }, () =>
      kind === 'live' && !started ? ['R-LIVE-EMPTY-BEFORE-FIRST'] : ['R-LIVE-EMPTY'],
    );
    return result(r).empty !== false;
  };

  const nextHook = async (previous: string | undefined) =>
    result(
      await send({ op: 'source.next', source }, (r) => {
        const hook = result(r).hook as { kind?: string } | undefined;
        if (kind === 'dying') return ['R-DYING-ORDER'];
        const rules = ['R-LIVE-NEXT-LATEST-VERSION'];
        if (previous === 'relation-joined' && hook?.kind === 'relation-changed') {
          rules.push('R-LIVE-NEXT-PENDING-FIRST');
        } else rules.push('R-LIVE-NEXT-HEAD');
        return rules;
      }),
    ).hook as { kind?: string } | undefined;

  let lastPopped: string | undefined;
  let gone = false;

  /** Run the next hook if there is one: next, validate, write, pop. False when idle. */
  const runOne = async (): Promise<boolean> => {
    if (await isEmpty()) {
      if (kind === 'dying' || started) trace.push({ type: 'idle' });
      return false;
    }

    const hook = await nextHook(lastPopped);
    if (hook === undefined) return false;
    const state = await committedState();
    const verdict = await send({ op: 'validate', state, hook }, (r) => [
      validateRule(result(r).error),
    ]);
    trace.push({ type: 'hook', hook });
    if (result(verdict).valid !== true) return false;
    const written = await send({ op: 'statedir.write', dir, hook }, () => [
      `R-WRITE-${String(hook.kind).replace('relation-', '').toUpperCase()}`,
    ]);
    if (result(written).error === undefined) {
      trace.push({ type: 'commit', hook });
      if (hook.kind === 'relation-broken') gone = true;
    }
    await send({ op: 'source.pop', source }, () => {
      if (kind === 'dying') return ['R-DYING-ORDER'];
      if (hook.kind === 'relation-joined') return ['R-LIVE-POP-HEAD', 'R-LIVE-POP-JOINED'];
      if (hook.kind === 'relation-departed') {
        return ['R-LIVE-POP-HEAD', 'R-LIVE-POP-DEPARTED-FORGETS'];
      }
      return lastPopped === 'relation-joined'
        ? ['R-LIVE-POP-PENDING-CHANGED']
        : ['R-LIVE-POP-HEAD'];
    });
    lastPopped = hook.kind;
    return true;
  };

  const stepOnce = async (step: ScenarioStep) => {
    // Once relation-broken is committed the relation is gone: the agent
    // keeps no source for it, so only the steps that stand apart go on.
    if (gone && step.t !== 'probe' && step.t !== 'list' && step.t !== 'readAll') return;
    switch (step.t) {
      case 'change': {
        world = applyWire(world, step.change);
        if (kind !== 'live') return;
        const change = encodeWireChange(step.change);
        const first = !started;
        const r = await send({ op: 'source.update', source, change }, (resp) =>
          rawChangeRules(first, step.change, resp),
        );
        trace.push({ type: 'change', change });
        started = true;
        // An agent does not use a source again after its update failed.
        if (typeof result(r).error === 'string') gone = true;
        return;
      }
      case 'call': {
        const request = withHandles(step.request, source, dir) as Request;
        await send(request, (r) => (isDomainError(r) ? [...(step.rules ?? [])] : []));
        return;
      }
      case 'watch': {
        const applied = applyEvent(world, step.event);
        world = applied.world;
        if (kind !== 'live') return;
        const first = !started;
        const change = encodeWireChange(first ? snapshot(world, step.event.order) : applied.delta);
        const rules = (): string[] => {
          const out: string[] = [];
          const changed = Object.keys(change.changed);
          if (first) out.push(hadRestartState ? 'R-LIVE-FIRST-ABSENT-DEPART' : 'R-LIVE-SORTED');
          if (changed.length > 1) out.push('R-LIVE-SORTED');
          if (!first) {
            const joins = step.event.joins.length;
            if (applied.delta.changed.length > joins) out.push('R-LIVE-CHANGED-QUEUE');
            if (joins > 0) out.push('R-LIVE-NEW-UNIT-JOINS');
          }
          if (first && changed.length > 0) out.push('R-LIVE-NEW-UNIT-JOINS');
          if (change.departed.length > 0) out.push('R-LIVE-DEPART');
          if (change.departed.length > 1) out.push('R-LIVE-DEPART-ORDER');
          return out;
        };
        await send({ op: 'source.update', source, change }, rules);
        trace.push({ type: 'change', change });
        started = true;
        return;
      }
      case 'drain': {
        // Bounded: a source that never empties is the implementation's bug, not a hang.
        for (let i = 0; i < DRAIN_LIMIT; i++) if (!(await runOne())) return;
        return;
      }
      case 'run': {
        await runOne();
        return;
      }
      case 'peek': {
        if (!(await isEmpty())) await nextHook(lastPopped);
        return;
      }
      case 'restart': {
        trace.push({ type: 'crash' });
        await send({ op: 'source.stop', source }, () => []);
        generation += 1;
        dir = `d${generation}`;
        source = `s${generation}`;
        lastPopped = undefined;
        await open();
        return;
      }
      case 'dying': {
        if (kind === 'dying') return;
        const state = await committedState();
        await send({ op: 'source.stop', source }, () => []);
        kind = 'dying';
        generation += 1;
        source = `s${generation}`;
        await send({ op: 'source.dying', source, state }, () => ['R-DYING-ORDER']);
        trace.push({ type: 'dying' });
        return;
      }
      case 'readAll': {
        await send({ op: 'statedir.readAll', base: BASE }, () => ['R-READ-ALL-ENTRIES']);
        return;
      }
      case 'probe': {
        const state = probeStateJson(rel, step.probe);
        const hook = memberHook(state, probeHookJson(rel, step.probe.hook), step.probe);
        await send({ op: 'validate', state, hook }, (r) => [
          validateRule(result(r).error),
          'R-VALIDATE-PREFIX',
        ]);
        return;
      }
      case 'list': {
        const name = `l${lists++}`;
        const hooks = step.hooks.map((h) => probeHookJson(rel, h));
        await send({ op: 'source.list', source: name, hooks }, () => ['R-LIST-ORDER']);
        for (let i = 0; i <= hooks.length; i++) {
          const r = await send({ op: 'source.empty', source: name }, () => ['R-LIST-ORDER']);
          if (result(r).empty !== false) break;
          await send({ op: 'source.next', source: name }, () => ['R-LIST-ORDER']);
          await send({ op: 'source.pop', source: name }, () => ['R-LIST-ORDER']);
        }
        await send({ op: 'source.stop', source: name }, () => []);
        return;
      }
    }
  };

  try {
    await open();
    for (const [i, step] of scenario.steps.entries()) {
      note = `step ${i + 1}: ${step.t}`;
      await stepOnce(step);
    }
    note = 'end';
    await send({ op: 'source.stop', source }, () => []);
    return E.right({ exchanges, trace });
  } catch (e) {
    if (e instanceof Stop) {
      return E.left({ _tag: 'RunnerFailed', error: e.error, transcript: { exchanges, trace } });
    }
    throw e;
  }
};
