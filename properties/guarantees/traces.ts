import type { TraceEvent } from '../../spec/trace.ts';
import { change as mkChange } from '../../src/model/change.ts';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../../src/model/hook.ts';
import type { UnitHookKind } from '../../src/model/hookKind.ts';
import { type RelationId, relationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { unitName } from '../../src/model/unitName.ts';

// A small language for hand-written traces in example tests:
// start({'a/0': 3}, 'a/0'), change({'a/1': 1}, ['a/0']), hook('joined', 'a/1', 1), ...

export const R: RelationId = relationId(7);

export const stateOf = (
  members: Record<string, number> | null,
  pending = '',
  rel: RelationId = R,
): State => ({
  relationId: rel,
  members:
    members === null
      ? null
      : new Map(Object.entries(members).map(([u, v]) => [unitName(u), changeVersion(v)])),
  changedPending: pending === '' ? '' : unitName(pending),
});

export const start = (members: Record<string, number> = {}, pending = '', rel = R): TraceEvent => ({
  type: 'start',
  state: stateOf(members, pending, rel),
});

export const change = (
  changed: Record<string, number> = {},
  departed: string[] = [],
): TraceEvent => ({
  type: 'change',
  change: mkChange(
    Object.entries(changed).map(([u, v]) => [unitName(u), changeVersion(v)] as const),
    departed.map(unitName),
  ),
});

const KINDS: Record<string, UnitHookKind> = {
  joined: 'relation-joined',
  changed: 'relation-changed',
  departed: 'relation-departed',
};

export const info = (kind: string, unit = '', version = 0, rel = R): HookInfo =>
  kind === 'broken'
    ? brokenHook(rel)
    : unitHook(KINDS[kind] as UnitHookKind, rel, unitName(unit), changeVersion(version));

/** A hook and its commit. */
export const ran = (kind: string, unit = '', version = 0, rel = R): TraceEvent[] => [
  { type: 'hook', hook: info(kind, unit, version, rel) },
  { type: 'commit', hook: info(kind, unit, version, rel) },
];

export const hook = (kind: string, unit = '', version = 0, rel = R): TraceEvent => ({
  type: 'hook',
  hook: info(kind, unit, version, rel),
});

export const commit = (kind: string, unit = '', version = 0): TraceEvent => ({
  type: 'commit',
  hook: info(kind, unit, version),
});

export const crash: TraceEvent = { type: 'crash' };
export const dying: TraceEvent = { type: 'dying' };
export const idle: TraceEvent = { type: 'idle' };
