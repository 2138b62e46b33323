import * as E from 'fp-ts/lib/Either.js';
import { commit, updateState } from '../../../src/juju3/commit.ts';
import { REFERENCE_RULES, type Rules } from '../../../src/juju3/next.ts';
import {
  createJuju3Session,
  juju3Ops,
  type Parts,
  REFERENCE_PARTS,
} from '../../../src/juju3/protocol/ops.ts';
import { relationsOf, withRelation } from '../../../src/juju3/protocol/session.ts';
import {
  RESOLVER_STEPS,
  type RuleStep,
  type Step,
  type StepContext,
} from '../../../src/juju3/resolver.ts';
import { hookOutcome, NONE, type Outcome, type Relation } from '../../../src/juju3/types.ts';
import { VALIDATE_CHECKS, validateWith } from '../../../src/juju3/validate.ts';
import { encodeStateYaml } from '../../../src/juju3/yamlState.ts';
import { defineOp, type OpSpec, ok, type Reply, withOps } from '../../../src/protocol/registry.ts';
import { createSession, type Session } from '../../../src/protocol/session.ts';

// Single-rule mutants of the juju-3 reference: each replaces the one entry
// of the reference's rule tables that states that rule, everything else
// as it is. conform --profile juju-3 must kill every one of them.

export interface Mutant {
  readonly rules?: Rules;
  readonly parts?: Partial<Parts>;
  /** Ops replaced in the session (for the one rule no table states: J3-NEXT). */
  readonly ops?: readonly OpSpec[];
}

/** The session a mutant serves. */
export const mutantSession = (m: Mutant): Session => {
  const session = createJuju3Session(m.rules ?? REFERENCE_RULES, {
    ...REFERENCE_PARTS,
    ...m.parts,
  });
  return m.ops === undefined
    ? session
    : createSession({ implementation: session.implementation, ops: withOps(session.ops, m.ops) });
};

// J3-NEXT broken: a hidden queue. A hook handed out is not handed out again
// until something was committed, as if it had been popped.
const ASKED = Symbol('asked');
type Asked = { [ASKED]?: string };
const nextOp = juju3Ops().find((o) => o.op === 'rel.next') as OpSpec;
const commitOp = juju3Ops().find((o) => o.op === 'rel.commit') as OpSpec;
const hiddenQueue: readonly OpSpec[] = [
  defineOp('rel.next', nextOp.fields, async (session, request) => {
    const before = relationsOf(session).get(request.rel) as (Relation & Asked) | undefined;
    const reply = await (nextOp.handle as (s: Session, r: unknown) => Reply | Promise<Reply>)(
      session,
      request,
    );
    if (reply._tag !== 'Ok' || reply.session === undefined) return reply;
    const text = JSON.stringify(reply.result, (_, v) => (typeof v === 'bigint' ? String(v) : v));
    const after = relationsOf(reply.session).get(request.rel) as Relation;
    if (before?.[ASKED] === text && 'hook' in reply.result)
      return ok({ none: true }, reply.session);
    return ok(
      reply.result,
      withRelation(reply.session, request.rel, { ...after, [ASKED]: text } as Relation),
    );
  }),
  defineOp('rel.commit', commitOp.fields, async (session, request) => {
    const reply = await (commitOp.handle as (s: Session, r: unknown) => Reply | Promise<Reply>)(
      session,
      request,
    );
    if (reply._tag !== 'Ok' || reply.session === undefined) return reply;
    const rel = relationsOf(reply.session).get(request.rel) as Relation & Asked;
    const { [ASKED]: _, ...rest } = rel;
    return ok(reply.result, withRelation(reply.session, request.rel, rest as Relation));
  }),
];

const stepOf = (id: string): Step => (RESOLVER_STEPS.find((s) => s.id === id) as RuleStep).step;

const steps = (f: (s: readonly RuleStep[]) => RuleStep[]): Mutant => ({
  rules: { ...REFERENCE_RULES, steps: f(RESOLVER_STEPS) },
});
const drop = (id: string) => steps((s) => s.filter((x) => x.id !== id));
const replace = (id: string, step: Step) =>
  steps((s) => s.map((x) => (x.id === id ? { id, step } : x)));
const everyStep = (f: (ctx: StepContext) => StepContext) =>
  steps((s) => s.map(({ id, step }) => ({ id, step: (ctx) => step(f(ctx)) })));
const mapHook = (id: string, f: (o: Outcome) => Outcome) =>
  replace(id, (ctx) => f(stepOf(id)(ctx)));
const dropCheck = (id: string): Mutant => ({
  parts: { validate: validateWith(VALIDATE_CHECKS.filter((c) => c.id !== id)) },
});

export const MUTANTS: Readonly<Record<string, Mutant>> = {
  'J3-NEXT': { ops: hiddenQueue },
  'J3-PENDING-FIRST': drop('J3-PENDING-FIRST'),
  'J3-PENDING-VERSION': everyStep((ctx) =>
    ctx.state.changedPending !== '' && !ctx.remoteMembers.has(ctx.state.changedPending)
      ? {
          ...ctx,
          remoteMembers: new Map([
            ...ctx.remoteMembers,
            [ctx.state.changedPending, ctx.localMembers.get(ctx.state.changedPending) ?? 0n],
          ]),
        }
      : ctx,
  ),
  'J3-PENDING-BAD-NAME': mapHook('J3-PENDING-FIRST', (o) =>
    o._tag === 'Error'
      ? { ...o, message: o.message.replace('changed pending held an invalid unit name: ', '') }
      : o,
  ),
  'J3-EMPTY-UNIT': drop('J3-EMPTY-UNIT'),
  'J3-BAD-UNIT-NAME': steps((s) =>
    s.map(({ id, step }) => ({
      id,
      step: (ctx) => {
        const o = step(ctx);
        return o._tag === 'Error' && id !== 'J3-PENDING-FIRST' && id !== 'J3-EMPTY-UNIT' ? NONE : o;
      },
    })),
  ),
  'J3-DEPART': drop('J3-DEPART'),
  'J3-DEPARTEE': mapHook('J3-DEPART', (o) =>
    o._tag === 'Hook' ? hookOutcome({ ...o.hook, departingUnit: o.hook.remoteUnit }) : o,
  ),
  'J3-SORTED': everyStep((ctx) => ({ ...ctx, units: [...ctx.units].reverse() })),
  'J3-REMOTE-BROKEN': everyStep((ctx) => ({
    ...ctx,
    remoteMembers: ctx.remote.members,
    remoteApps: ctx.remote.applicationMembers,
  })),
  'J3-BROKEN': drop('J3-BROKEN'),
  'J3-PEER-NEVER-BROKEN': replace('J3-BROKEN', (ctx) =>
    stepOf('J3-BROKEN')({ ...ctx, info: { ...ctx.info, peer: false } }),
  ),
  'J3-APP-CHANGED': drop('J3-APP-CHANGED'),
  'J3-APP-ZERO': replace('J3-APP-CHANGED', (ctx) => {
    const o = stepOf('J3-APP-CHANGED')(ctx);
    if (o._tag !== 'None') return o;
    for (const [app, v] of ctx.remoteApps)
      if (!ctx.state.applicationMembers.has(app))
        return hookOutcome({
          kind: 'relation-changed',
          relationId: ctx.state.relationId,
          remoteUnit: '',
          remoteApplication: app,
          changeVersion: v,
          departingUnit: '',
        });
    return NONE;
  }),
  'J3-JOIN': drop('J3-JOIN'),
  'J3-UNIT-CHANGED': replace('J3-UNIT-CHANGED', (ctx) => {
    const o = stepOf('J3-UNIT-CHANGED')(ctx);
    return o._tag === 'Hook' &&
      o.hook.changeVersion < (ctx.localMembers.get(o.hook.remoteUnit) ?? 0n)
      ? NONE
      : o;
  }),
  'J3-NONE': steps((s) => [
    ...s,
    {
      id: 'J3-NONE',
      step: (ctx) => {
        const u = [...ctx.localMembers.keys()][0];
        return u === undefined
          ? NONE
          : hookOutcome({
              kind: 'relation-changed',
              relationId: ctx.state.relationId,
              remoteUnit: u,
              remoteApplication: u.split('/')[0] ?? '',
              changeVersion: ctx.localMembers.get(u) ?? 0n,
              departingUnit: '',
            });
      },
    },
  ]),
  'J3-CREATED-FIRST': { rules: { ...REFERENCE_RULES, createdDue: () => false } },
  'J3-CREATED-SKIP-DYING': {
    rules: {
      ...REFERENCE_RULES,
      createdDue: (rel, _l, remote) => !rel.created && remote.life === 'alive',
    },
  },
  'J3-CREATED-SUSPENDED': {
    rules: {
      ...REFERENCE_RULES,
      createdDue: (rel, l, r) => REFERENCE_RULES.createdDue(rel, l, r) && !r.suspended,
    },
  },
  'J3-REJOIN': { rules: { ...REFERENCE_RULES, rejoins: () => false } },
  'J3-CREATED-RESTART': { parts: { restoredCreated: false } },
  'J3-COMMIT-BROKEN': {
    parts: { commit: (rel, h) => (h.kind === 'relation-broken' ? E.right(rel) : commit(rel, h)) },
  },
  'J3-COMMIT-DEPARTED': {
    parts: {
      commit: (rel, h) =>
        E.map((r: typeof rel) =>
          h.kind === 'relation-departed' && r.state !== null
            ? { ...r, state: { ...r.state, changedPending: '' } }
            : r,
        )(commit(rel, h)),
    },
  },
  'J3-COMMIT-PENDING': {
    parts: {
      commit: (rel, h) =>
        E.map((r: typeof rel) =>
          h.kind === 'relation-joined' && r.state !== null
            ? { ...r, state: { ...r.state, changedPending: '' } }
            : r,
        )(commit(rel, h)),
    },
  },
  'J3-COMMIT-UNIT': {
    parts: {
      commit: (rel, h) =>
        h.kind === 'relation-changed' && h.remoteUnit !== '' ? E.right(rel) : commit(rel, h),
    },
  },
  'J3-COMMIT-APP': {
    parts: {
      commit: (rel, h) =>
        h.remoteUnit === '' && h.kind === 'relation-changed' ? E.right(rel) : commit(rel, h),
    },
  },
  'J3-COMMIT-CREATED': {
    parts: {
      commit: (rel, h) =>
        h.kind === 'relation-created' && rel.state !== null
          ? E.right({ ...rel, created: true })
          : commit(rel, h),
    },
  },
  'J3-COMMIT-IDEMPOTENT': {
    parts: {
      commit: (rel, h) =>
        E.map((r: typeof rel) =>
          r.state !== null &&
          rel.state !== null &&
          r.state.members?.get(h.remoteUnit) === rel.state.members?.get(h.remoteUnit) &&
          h.kind === 'relation-changed' &&
          h.remoteUnit !== ''
            ? { ...r, state: updateState(r.state, { ...h, changeVersion: h.changeVersion + 1n }) }
            : r,
        )(commit(rel, h)),
    },
  },
  'J3-COMMIT-NO-VALIDATE': {
    parts: {
      commit: (rel, h) =>
        h.kind === 'relation-joined' && (rel.state?.members?.has(h.remoteUnit) ?? false)
          ? E.left('unit already joined')
          : commit(rel, h),
    },
  },
  'J3-COMMIT-GONE': {
    parts: {
      commit: (rel, h) => (rel.state === null ? E.left('relation is gone') : commit(rel, h)),
    },
  },
  'J3-H-COMMIT-RELATION': {
    parts: { commit: (rel, h) => commit(rel, { ...h, relationId: rel.info.relationId }) },
  },
  'J3-VALIDATE-RELATION': dropCheck('J3-VALIDATE-RELATION'),
  'J3-VALIDATE-BROKEN': dropCheck('J3-VALIDATE-BROKEN'),
  'J3-VALIDATE-BROKEN-HOOK': dropCheck('J3-VALIDATE-BROKEN-HOOK'),
  'J3-VALIDATE-PENDING': dropCheck('J3-VALIDATE-PENDING'),
  'J3-VALIDATE-APP': dropCheck('J3-VALIDATE-APP'),
  'J3-VALIDATE-JOINED': dropCheck('J3-VALIDATE-JOINED'),
  'J3-VALIDATE-NOT-JOINED': dropCheck('J3-VALIDATE-NOT-JOINED'),
  'J3-VALIDATE-ORDER': { parts: { validate: validateWith([...VALIDATE_CHECKS].reverse()) } },
  'J3-VALIDATE-ACCEPT': {
    parts: { validate: validateWith([...VALIDATE_CHECKS, { id: 'x', check: () => 'refused' }]) },
  },
  'J3-VALIDATE-PREFIX': {
    parts: {
      validate: (s, h) =>
        E.mapLeft((m: string) => m.replace('inappropriate ', ''))(
          validateWith(VALIDATE_CHECKS)(s, h),
        ),
    },
  },
  'J3-HOOKINFO': { parts: { validateHookInfo: () => E.right(undefined) } },
  'J3-CODEC-KEYS': {
    parts: {
      encodeYaml: (s) => encodeStateYaml(s).replace('application-members:', 'applications:'),
    },
  },
  'J3-CODEC-DEFAULTS': {
    parts: {
      decodeYaml: (text) =>
        /members:\s*$/m.test(text) ? E.left('members missing') : REFERENCE_PARTS.decodeYaml(text),
    },
  },
  'J3-GONE': {
    rules: {
      ...REFERENCE_RULES,
      gone: (rel, local, remote) =>
        (local.life === 'dying' || remote.life === 'dying' || remote.suspended) && !rel.info.peer
          ? hookOutcome({
              kind: 'relation-broken',
              relationId: rel.info.relationId,
              remoteUnit: '',
              remoteApplication: rel.info.remoteApp,
              changeVersion: 0n,
              departingUnit: '',
            })
          : NONE,
    },
  },
  'J3-AGENT-CREATED-FIRST': { rules: { ...REFERENCE_RULES, roundGroups: ['non-peer', 'peer'] } },
  'J3-AGENT-PEER-LAST': {
    rules: { ...REFERENCE_RULES, roundGroups: ['created', 'peer', 'non-peer'] },
  },
  'J3-LEADER-IGNORED': replace('J3-APP-CHANGED', (ctx) =>
    ctx.local.leader ? NONE : stepOf('J3-APP-CHANGED')(ctx),
  ),
  'J3-OPEN': { parts: { openCreated: false } },
  'J3-H-CODEC-NUMBERS': {
    parts: {
      decodeYaml: (text) =>
        REFERENCE_PARTS.decodeYaml(text.replace(/: ([0-9]+)\.[0-9]+$/gm, ': $1')),
    },
  },
  'J3-CODEC-ERROR': {
    parts: {
      decodeYaml: (text) => {
        const d = REFERENCE_PARTS.decodeYaml(text);
        return E.isLeft(d)
          ? E.right({
              relationId: 0,
              members: new Map(),
              applicationMembers: new Map(),
              changedPending: '',
            })
          : d;
      },
    },
  },
};
