import type { TraceEvent } from '../../spec/trace.ts';
import { type HookInfo, HookInfo as HookInfoC } from '../model/hook.ts';
import type { RelationId } from '../model/relationId.ts';
import type { UnitName } from '../model/unitName.ts';
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
