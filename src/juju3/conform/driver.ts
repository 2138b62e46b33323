import * as E from 'fp-ts/lib/Either.js';
import { monitorJuju3 } from '../../../spec/juju-3/model/monitor.ts';
import type { Snapshot, TraceEvent } from '../../../spec/juju-3/trace.ts';
import { canonicalText } from '../../fixtures/canonical.ts';
import type { Session } from '../../protocol/session.ts';
import type { Request } from '../../runner/response.ts';
import { agentRound, type Candidate } from '../agent.ts';
import { createJuju3Session } from '../protocol/ops.ts';
import { relationsOf, withRelations } from '../protocol/session.ts';
import { HOOK_KINDS, type Hook, type Outcome, type RemoteRelation } from '../types.ts';
import { encodeHook, HookC, LocalUnitC, RemoteRelationC } from '../wire.ts';
import { decodeStateYaml } from '../yamlState.ts';
import { blameNext, compareAnswer, type Level, type Verdict } from './compare.ts';
import { type Answer, answerOn, type Endpoint, normalize, resultOf } from './endpoint.ts';
import {
  applyAction,
  initialWorld,
  LOCAL_UNIT,
  remoteAppOf,
  type Scenario,
  unitName,
  type World,
} from './world.ts';

/** One exchange of a run: what was sent and what each side answered. */
export interface Exchange {
  readonly request: Request;
  readonly reference: Answer;
  readonly implementation: Answer;
  /** For agent.next: every answer Juju's map order allows. */
  readonly allowed?: readonly Answer[];
}

export interface RunResult {
  readonly exchanges: readonly Exchange[];
  readonly trace: readonly TraceEvent[];
  /** The first failure, or undefined when the scenario conforms. */
  readonly failure?: { readonly rule: string; readonly message: string };
  readonly advisories: readonly { readonly rule: string; readonly message: string }[];
}

class Stop {
  constructor(
    readonly rule: string,
    readonly message: string,
  ) {}
}

const snapshotJson = (w: World, names: readonly string[]) => ({
  local: LocalUnitC.encode(w.local),
  relations: Object.fromEntries(
    names.map((n, i) => [n, RemoteRelationC.encode(w.remotes[i] as RemoteRelation)]),
  ),
});

const outcomeAnswer = (o: Outcome, rel?: string): Answer => ({
  ok: true,
  result: normalize(
    o._tag === 'Hook'
      ? { ...(rel !== undefined ? { rel } : {}), hook: encodeHook(o.hook) }
      : o._tag === 'None'
        ? { none: true }
        : { ...(rel !== undefined ? { rel } : {}), error: o.message },
  ) as Record<string, unknown>,
});

const hookOf = (a: Answer): Hook | undefined => {
  if (!a.ok || a.result.hook === undefined) return undefined;
  const d = HookC.decode(a.result.hook);
  return d._tag === 'Right' ? d.right : undefined;
};

/**
 * Run one scenario on the implementation and on the in-process reference.
 * `prefix` keeps each scenario's handles apart inside one long session.
 */
export const runScenario = async (
  scenario: Scenario,
  impl: Endpoint,
  level: Level,
  prefix: string,
): Promise<RunResult> => {
  let oracle: Session = createJuju3Session();
  const oracleCall = async (request: Request): Promise<Answer> => {
    const r = await answerOn(oracle, request);
    oracle = r.session;
    return r.answer;
  };
  const exchanges: Exchange[] = [];
  const trace: TraceEvent[] = [];
  const advisories: { rule: string; message: string }[] = [];
  const names = scenario.relations.map((_, i) => `${prefix}r${i}`);
  let world = initialWorld(scenario);

  const snapshot = (): Snapshot => ({
    local: world.local,
    relations: new Map(names.map((n, i) => [n, world.remotes[i] as RemoteRelation])),
  });

  const judge = (op: string, v: Verdict, ref?: Answer, got?: Answer) => {
    if (v._tag === 'Same') return;
    if (v._tag === 'Hardening') {
      advisories.push({ rule: v.rule, message: v.message });
      if (level === 'strict') throw new Stop(v.rule, v.message);
      // The two sides no longer agree on the state: nothing more to compare.
      throw new Stop('', '');
    }
    if (level !== 'guarantees') throw new Stop(v.rule, v.message);
    // guarantees: a domain error wherever the reference has one, and no other.
    const err = (a?: Answer) => a === undefined || !a.ok || a.result.error !== undefined;
    if ((op === 'rel.next' || op === 'rel.commit' || op === 'rel.restore') && err(ref) !== err(got))
      throw new Stop(v.rule, v.message);
  };

  const implCall = async (request: Request): Promise<Answer> => {
    const a = await impl.call(request);
    if (E.isLeft(a)) throw new Stop('PROTOCOL', a.left);
    return a.right;
  };

  const both = async (request: Request, record = true): Promise<{ ref: Answer; impl: Answer }> => {
    const ref = await oracleCall(request);
    const got = await implCall(request);
    if (record) exchanges.push({ request, reference: ref, implementation: got });
    judge(request.op, compareAnswer(request.op, ref, got), ref, got);
    return { ref, impl: got };
  };

  const commitBoth = async (rel: string, h: Hook) => {
    const { impl: a } = await both({ op: 'rel.commit', rel, hook: normalize(encodeHook(h)) });
    if (a.ok && a.result.error === undefined) trace.push({ event: 'commit', rel, hook: h });
  };

  /** One hook for one relation through rel.next; returns whether one ran. */
  const runRel = async (i: number, doCommit: boolean): Promise<boolean> => {
    const rel = names[i] as string;
    const snap = snapshotJson(world, names);
    const { impl: a } = await both({
      op: 'rel.next',
      rel,
      local: snap.local,
      remote: snap.relations[rel],
    });
    const h = hookOf(a);
    const only: Snapshot = {
      local: world.local,
      relations: new Map([[rel, world.remotes[i] as RemoteRelation]]),
    };
    if (h === undefined) {
      if (a.ok && a.result.none === true) trace.push({ event: 'idle', snapshot: only });
      return false;
    }
    trace.push({ event: 'hook', rel, snapshot: only, hook: h });
    if (doCommit) await commitBoth(rel, h);
    return true;
  };

  /** One round over every relation through agent.next. */
  const runAgent = async (doCommit: boolean): Promise<boolean> => {
    const snap = snapshotJson(world, names);
    const request: Request = { op: 'agent.next', local: snap.local, relations: snap.relations };
    const round = agentRound(relationsOf(oracle), world.local, snapshot().relations);
    const allowed = round.allowed.map((c: Candidate) => outcomeAnswer(c.outcome, c.rel));
    const none = outcomeAnswer({ _tag: 'None' });
    const got = await implCall(request);
    const first = allowed[0] ?? none;
    exchanges.push({
      request,
      reference: first,
      implementation: got,
      allowed: allowed.length > 0 ? allowed : [none],
    });
    const pick = (allowed.length > 0 ? allowed : [none]).find(
      (x) => canonicalText(x) === canonicalText(got),
    );
    if (pick === undefined) {
      if (level !== 'guarantees')
        throw new Stop(
          allowed.length > 1 ? 'J3-AGENT-MAP-ORDER' : blameNext(first, got),
          `agent.next: the implementation answers ${canonicalText(got)}; allowed: ${allowed.map(canonicalText).join(' | ') || canonicalText(none)}`,
        );
    }
    // Follow the implementation's pick: the reference takes the same branch.
    oracle = withRelations(oracle, round.relations);
    if (!got.ok) throw new Stop('PROTOCOL', `agent.next: protocol error ${got.error}`);
    const rel = typeof got.result.rel === 'string' ? got.result.rel : undefined;
    const h = hookOf(got);
    if (h === undefined || rel === undefined) {
      if (got.result.none === true) trace.push({ event: 'idle', snapshot: snapshot() });
      return false;
    }
    trace.push({ event: 'hook', rel, snapshot: snapshot(), hook: h });
    if (doCommit) await commitBoth(rel, h);
    return true;
  };

  const restart = async () => {
    trace.push({ event: 'restart' });
    for (const [i, rel] of names.entries()) {
      const { ref, impl: a } = await both({ op: 'rel.save', rel });
      if (resultOf(a).absent === true || resultOf(ref).absent === true) continue;
      const spec = scenario.relations[i];
      if (spec === undefined) continue;
      const info = {
        relationId: spec.relationId,
        peer: spec.peer,
        localUnit: LOCAL_UNIT,
        remoteApp: remoteAppOf(spec, i),
      };
      const yaml = String(resultOf(a).yaml);
      const refA = await oracleCall({
        op: 'rel.restore',
        rel,
        ...info,
        yaml: String(resultOf(ref).yaml),
      });
      const got = await implCall({ op: 'rel.restore', rel, ...info, yaml });
      exchanges.push({
        request: { op: 'rel.restore', rel, ...info, yaml },
        reference: refA,
        implementation: got,
      });
      judge('rel.restore', compareAnswer('rel.restore', refA, got), refA, got);
      const state = decodeStateYaml(yaml);
      if (E.isRight(state)) trace.push({ event: 'restore', rel, ...info, state: state.right });
    }
  };

  try {
    for (const [i, spec] of scenario.relations.entries()) {
      const info = {
        relationId: spec.relationId,
        peer: spec.peer,
        localUnit: LOCAL_UNIT,
        remoteApp: remoteAppOf(spec, i),
      };
      await both({ op: 'rel.open', rel: names[i], ...info, created: spec.created });
      trace.push({ event: 'open', rel: names[i] as string, ...info, created: spec.created });
    }
    for (const x of scenario.actions) {
      switch (x.a) {
        case 'run':
          await runAgent(true);
          break;
        case 'runRel':
          if (x.rel < names.length) await runRel(x.rel, true);
          break;
        case 'settle':
          for (let n = 0; n < 40 && (await runAgent(true)); n++);
          break;
        case 'restart':
          await restart();
          break;
        case 'crash':
          await runAgent(false);
          await restart();
          break;
        case 'probe': {
          const rel = names[0] as string;
          const state = resultOf(await oracleCall({ op: 'rel.state', rel })).state;
          if (state === undefined) break;
          const h = {
            kind: HOOK_KINDS[x.kind % HOOK_KINDS.length],
            relationId: x.version === 7n ? 99 : scenario.relations[0]?.relationId,
            remoteUnit: x.unit === 5 ? '' : unitName(scenario, 0, x.unit),
            remoteApplication: x.unit === 4 ? '' : remoteAppOf(scenario.relations[0] as never, 0),
            changeVersion: normalize(x.version),
            departingUnit: '',
          };
          await both({ op: 'validate', state, hook: h });
          await both({ op: 'hook.validate', hook: h });
          const enc = await both({ op: 'state.encode', state });
          const yaml = resultOf(enc.impl).yaml;
          if (typeof yaml === 'string') await both({ op: 'state.decode', yaml });
          break;
        }
        case 'badCommit': {
          const rel = names[x.rel % names.length] as string;
          const spec = scenario.relations[x.rel % names.length];
          await both({
            op: 'rel.commit',
            rel,
            hook: {
              kind: 'relation-changed',
              relationId: (spec?.relationId ?? 0) + 100,
              remoteUnit: '',
              remoteApplication: 'db0',
              changeVersion: 1,
              departingUnit: '',
            },
          });
          break;
        }
        case 'badYaml':
          await both({ op: 'state.decode', yaml: x.text });
          await both({
            op: 'rel.restore',
            rel: `${prefix}junk`,
            relationId: 1,
            peer: false,
            localUnit: LOCAL_UNIT,
            remoteApp: 'db0',
            yaml: x.text,
          });
          break;
        case 'raw': {
          const r = x.request as Request;
          const rel = typeof r.rel === 'number' ? names[r.rel] : r.rel;
          await both({ ...r, ...(rel !== undefined ? { rel } : {}) });
          break;
        }
        default:
          world = applyAction(scenario, world, x);
      }
    }
    for (const [i] of names.entries()) await both({ op: 'rel.state', rel: names[i] });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    if (e.rule !== '')
      return finish(exchanges, trace, advisories, { rule: e.rule, message: e.message });
  }
  return finish(exchanges, trace, advisories, undefined);
};

const finish = (
  exchanges: Exchange[],
  trace: TraceEvent[],
  advisories: { rule: string; message: string }[],
  failure: { rule: string; message: string } | undefined,
): RunResult => {
  if (failure !== undefined) return { exchanges, trace, advisories, failure };
  const broken = monitorJuju3(trace);
  return broken === undefined
    ? { exchanges, trace, advisories }
    : {
        exchanges,
        trace,
        advisories,
        failure: {
          rule: broken.clause,
          message: `${broken.clause} broken at trace event ${broken.index + 1}: ${broken.message}`,
        },
      };
};
