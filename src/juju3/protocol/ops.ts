import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { IMPLEMENTATION } from '../../protocol/implementation.ts';
import {
  defineOp,
  failed,
  farewell,
  type OpSpec,
  type OpTable,
  ok,
  opTable,
  type Reply,
  refused,
} from '../../protocol/registry.ts';
import { createSession, type Session } from '../../protocol/session.ts';
import { HandleName, PROTOCOL_VERSION } from '../../protocol/wire.ts';
import { agentRound, type Candidate, referencePick } from '../agent.ts';
import { commit } from '../commit.ts';
import { nextHook, REFERENCE_RULES, type Rules } from '../next.ts';
import { freshState, type Outcome, type Relation, type RelationInfo } from '../types.ts';
import { validate, validateHookInfo } from '../validate.ts';
import {
  encodeHook,
  encodeState,
  HookC,
  LocalUnitC,
  RelationId,
  RemoteRelationC,
  StateC,
} from '../wire.ts';
import { decodeStateYaml, encodeStateYaml } from '../yamlState.ts';
import { lookupRelation, relationsOf, withRelation, withRelations } from './session.ts';

export const PROFILE = 'juju-3';
export const JUJU3_SUPPORTS = ['resolver', 'agent', 'codec'] as const;

const infoFields = {
  rel: HandleName,
  relationId: RelationId,
  peer: t.boolean,
  localUnit: t.string,
  remoteApp: t.string,
};

const infoOf = (r: RelationInfo): RelationInfo => ({
  relationId: r.relationId,
  peer: r.peer,
  localUnit: r.localUnit,
  remoteApp: r.remoteApp,
});

const outcomeResult = (o: Outcome): object =>
  o._tag === 'Hook'
    ? { hook: encodeHook(o.hook) }
    : o._tag === 'None'
      ? { none: true }
      : { error: o.message };

const fold = (e: E.Either<Reply, Reply>): Reply => (E.isLeft(e) ? e.left : e.right);

const RemotesC = t.record(t.string, RemoteRelationC);

/** The pure functions behind the ops besides the resolver; mutants replace one. */
export interface Parts {
  readonly commit: typeof commit;
  readonly validate: typeof validate;
  readonly validateHookInfo: typeof validateHookInfo;
  readonly encodeYaml: typeof encodeStateYaml;
  readonly decodeYaml: typeof decodeStateYaml;
  readonly restoredCreated: boolean;
  /** J3-OPEN: relation-created has run unless the runner says otherwise. */
  readonly openCreated: boolean;
}

export const REFERENCE_PARTS: Parts = {
  commit,
  validate,
  validateHookInfo,
  encodeYaml: encodeStateYaml,
  decodeYaml: decodeStateYaml,
  restoredCreated: true,
  openCreated: true,
};

/** The juju-3 op table over the given rule tables (the reference's, or a mutant's). */
export const juju3Ops = (
  rules: Rules = REFERENCE_RULES,
  parts: Parts = REFERENCE_PARTS,
): readonly OpSpec[] => [
  defineOp('hello', {}, (session) =>
    ok({
      implementation: session.implementation,
      protocol: PROTOCOL_VERSION,
      profile: PROFILE,
      supports: JUJU3_SUPPORTS,
    }),
  ),
  defineOp('rel.open', { ...infoFields, created: t.union([t.boolean, t.undefined]) }, (s, r) =>
    ok(
      {},
      withRelation(s, r.rel, {
        info: infoOf(r),
        created: r.created ?? parts.openCreated,
        state: freshState(r.relationId),
      }),
    ),
  ),
  defineOp('rel.restore', { ...infoFields, yaml: t.string }, (s, r) => {
    const state = parts.decodeYaml(r.yaml);
    if (E.isLeft(state)) return failed(state.left);
    if (state.right.relationId !== r.relationId)
      return failed(
        `state of relation ${state.right.relationId} restored as relation ${r.relationId}`,
      );
    // J3-CREATED-RESTART: a relation read back after a restart counts as created.
    return ok(
      {},
      withRelation(s, r.rel, {
        info: infoOf(r),
        created: parts.restoredCreated,
        state: state.right,
      }),
    );
  }),
  defineOp('rel.next', { rel: HandleName, local: LocalUnitC, remote: RemoteRelationC }, (s, r) =>
    fold(
      pipe(
        lookupRelation(s, r.rel),
        E.map((rel) => {
          const { relation, outcome } = nextHook(rel, r.local, r.remote, rules);
          return ok(outcomeResult(outcome), withRelation(s, r.rel, relation));
        }),
      ),
    ),
  ),
  defineOp('rel.commit', { rel: HandleName, hook: HookC }, (s, r) =>
    fold(
      pipe(
        lookupRelation(s, r.rel),
        E.map((rel) => {
          const next = parts.commit(rel, r.hook);
          return E.isLeft(next) ? failed(next.left) : ok({}, withRelation(s, r.rel, next.right));
        }),
      ),
    ),
  ),
  defineOp('rel.state', { rel: HandleName }, (s, r) =>
    fold(
      pipe(
        lookupRelation(s, r.rel),
        E.map((rel: Relation) =>
          rel.state === null ? ok({ absent: true }) : ok({ state: encodeState(rel.state) }),
        ),
      ),
    ),
  ),
  defineOp('rel.save', { rel: HandleName }, (s, r) =>
    fold(
      pipe(
        lookupRelation(s, r.rel),
        E.map((rel: Relation) =>
          rel.state === null ? ok({ absent: true }) : ok({ yaml: parts.encodeYaml(rel.state) }),
        ),
      ),
    ),
  ),
  defineOp('agent.next', { local: LocalUnitC, relations: RemotesC }, (s, r) => {
    const remotes = new Map(Object.entries(r.relations));
    const known = relationsOf(s);
    const unknown = [...remotes.keys()].find((name) => !known.has(name));
    if (unknown !== undefined) return refused(`unknown relation ${JSON.stringify(unknown)}`);
    const round = agentRound(known, r.local, remotes, rules);
    const pick: Candidate | undefined = referencePick(round);
    const session = withRelations(s, round.relations);
    return pick === undefined
      ? ok({ none: true }, session)
      : ok({ rel: pick.rel, ...outcomeResult(pick.outcome) }, session);
  }),
  defineOp('validate', { state: StateC, hook: HookC }, (_, r) => {
    const verdict = parts.validate(r.state, r.hook);
    return ok(E.isRight(verdict) ? { valid: true } : { valid: false, error: verdict.left });
  }),
  defineOp('hook.validate', { hook: HookC }, (_, r) => {
    const verdict = parts.validateHookInfo(r.hook);
    return ok(E.isRight(verdict) ? { valid: true } : { valid: false, error: verdict.left });
  }),
  defineOp('state.decode', { yaml: t.string }, (_, r) => {
    const state = parts.decodeYaml(r.yaml);
    return E.isLeft(state) ? failed(state.left) : ok({ state: encodeState(state.right) });
  }),
  defineOp('state.encode', { state: StateC }, (_, r) => ok({ yaml: parts.encodeYaml(r.state) })),
  defineOp('bye', {}, () => farewell()),
];

export const juju3OpTable = (
  rules: Rules = REFERENCE_RULES,
  parts: Parts = REFERENCE_PARTS,
): OpTable => opTable(juju3Ops(rules, parts));

/** A fresh juju-3 session (the reference's, unless mutant rules are given). */
export const createJuju3Session = (
  rules: Rules = REFERENCE_RULES,
  parts: Parts = REFERENCE_PARTS,
): Session => createSession({ implementation: IMPLEMENTATION, ops: juju3OpTable(rules, parts) });
