import type { TraceEvent } from '../../spec/trace.ts';
import { changeVersion } from '../model/changeVersion.ts';
import { brokenHook, type HookInfo, HookInfo as HookInfoC, unitHook } from '../model/hook.ts';
import type { HookKind, UnitHookKind } from '../model/hookKind.ts';
import { type RelationId, relationId } from '../model/relationId.ts';
import { type UnitName, unitName } from '../model/unitName.ts';
import type { Request } from '../runner/response.ts';

/**
 * One protocol request of a crash scenario, on a relation's handle, with
 * the watcher events the agent saw around it (generated scenarios only):
 * before a write or an ensure, after the start an open stands for.
 */
export type Step = (
  | { readonly op: 'statedir.open'; readonly relation: RelationId }
  | { readonly op: 'statedir.ensure'; readonly relation: RelationId }
  | { readonly op: 'statedir.remove'; readonly relation: RelationId }
  | { readonly op: 'statedir.write'; readonly relation: RelationId; readonly hook: HookInfo }
) & { readonly events?: readonly TraceEvent[] };

/** Where the watcher stands at the end: a live view of the members, or the relation dying. */
export type View =
  | { readonly kind: 'live'; readonly members: ReadonlyMap<UnitName, bigint> }
  | { readonly kind: 'dying' };

/**
 * A run of the agent on a state directory: the requests it makes, and the
 * watcher's view after them (what a restarted agent converges to).
 */
export interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
  readonly views: ReadonlyMap<RelationId, View>;
  /** The steps carry the watcher's events: the guarantee monitor can check the runs. */
  readonly watched?: boolean;
}

/** The handle name the scenario uses for a relation. */
export const handleOf = (relation: RelationId, prefix = 'd'): string => `${prefix}${relation}`;

/** The protocol request of a step, on the given base directory. */
export const stepRequest = (step: Step, base: string, prefix = 'd'): Request => {
  const dir = handleOf(step.relation, prefix);
  switch (step.op) {
    case 'statedir.open':
      return { op: step.op, dir, base, relationId: step.relation };
    case 'statedir.write':
      return { op: step.op, dir, hook: HookInfoC.encode(step.hook) };
    default:
      return { op: step.op, dir };
  }
};

/** The row of the report a step belongs to: the op, and the hook kind for writes. */
export const stepKind = (step: Step): string =>
  step.op === 'statedir.write' ? `write ${step.hook.kind}` : step.op.replace('statedir.', '');

/** A short text for step lists: `write relation-joined b/0 v1 on 7`. */
export const describeStep = (step: Step): string => {
  if (step.op !== 'statedir.write') return `${step.op.replace('statedir.', '')} ${step.relation}`;
  const h = step.hook;
  return h.kind === 'relation-broken'
    ? `write relation-broken on ${step.relation}`
    : `write ${h.kind} ${h.remoteUnit} v${h.changeVersion} on ${step.relation}`;
};

const w = (relation: RelationId, kind: HookKind, unit: string, version: number): Step => ({
  op: 'statedir.write',
  relation,
  hook:
    kind === 'relation-broken'
      ? brokenHook(relation)
      : unitHook(kind as UnitHookKind, relation, unitName(unit), changeVersion(version)),
});

const R7 = relationId(7);
const R8 = relationId(8);

/**
 * The default scenario: joins, changes, a departure and a broken relation,
 * on two relations. After it the watcher has moved on (b/0 changed again on
 * 7, 8 is dying), so a restarted agent still has work: the continuation after
 * recovery starts with a relation-changed of b/0, sorted before c/0's join,
 * which is what exposes a temporary file reused without truncation.
 */
export const DEFAULT_SCENARIO: Scenario = {
  name: 'two relations: joins, changes, a departure, broken',
  steps: [
    { op: 'statedir.open', relation: R7 },
    { op: 'statedir.ensure', relation: R7 },
    { op: 'statedir.open', relation: R8 },
    { op: 'statedir.ensure', relation: R8 },
    w(R7, 'relation-joined', 'b/0', 1),
    w(R7, 'relation-changed', 'b/0', 1),
    w(R8, 'relation-joined', 'wordpress/0', 5),
    w(R8, 'relation-changed', 'wordpress/0', 5),
    w(R7, 'relation-joined', 'c/0', 3),
    w(R7, 'relation-changed', 'c/0', 3),
    w(R7, 'relation-joined', 'd/0', 10),
    w(R7, 'relation-changed', 'd/0', 10),
    w(R7, 'relation-departed', 'd/0', 10),
    w(R8, 'relation-departed', 'wordpress/0', 5),
    w(R8, 'relation-broken', '', 0),
  ],
  views: new Map<RelationId, View>([
    [
      R7,
      {
        kind: 'live',
        members: new Map([
          [unitName('b/0'), 2n],
          [unitName('c/0'), 3n],
        ]),
      },
    ],
    [R8, { kind: 'dying' }],
  ]),
};

/** The relations a scenario touches, in order. */
export const relationsOf = (scenario: Scenario): RelationId[] => [...scenario.views.keys()];
