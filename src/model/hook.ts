import * as t from 'io-ts';
import { ChangeVersion, ZERO_VERSION } from './changeVersion.ts';
import { HookKind, type UnitHookKind } from './hookKind.ts';
import { RelationId } from './relationId.ts';
import { UnitName } from './unitName.ts';

/** joined, changed and departed name the remote unit and carry its version. */
export interface UnitHook {
  readonly kind: UnitHookKind;
  readonly relationId: RelationId;
  readonly remoteUnit: UnitName;
  readonly changeVersion: ChangeVersion;
}

/** relation-broken names no unit and always carries version 0. */
export interface BrokenHook {
  readonly kind: 'relation-broken';
  readonly relationId: RelationId;
  readonly remoteUnit: '';
  readonly changeVersion: ChangeVersion;
}

export type HookInfo = UnitHook | BrokenHook;

export interface HookInfoJson {
  readonly kind: HookKind;
  readonly relationId: number;
  readonly remoteUnit: string;
  readonly changeVersion: bigint;
}

const UnitHookC = t.type({
  kind: HookKind,
  relationId: RelationId,
  remoteUnit: UnitName,
  changeVersion: ChangeVersion,
});

const BrokenHookC = t.type({
  kind: t.literal('relation-broken'),
  relationId: RelationId,
  remoteUnit: t.literal(''),
  changeVersion: t.refinement(ChangeVersion, (v) => v === ZERO_VERSION, 'ZeroVersion'),
});

const KindOnly = t.type({ kind: HookKind });

export const HookInfo = new t.Type<HookInfo, HookInfoJson, unknown>(
  'HookInfo',
  (u): u is HookInfo => UnitHookC.is(u) || BrokenHookC.is(u),
  (u, c) => {
    // Dispatch on the kind first so that errors speak about one shape only.
    const kind = KindOnly.validate(u, c);
    if (kind._tag === 'Left') return kind;
    if (kind.right.kind === 'relation-broken') {
      const broken = BrokenHookC.validate(u, c);
      return broken._tag === 'Left' ? broken : t.success(broken.right as BrokenHook);
    }
    const hook = UnitHookC.validate(u, c);
    return hook._tag === 'Left' ? hook : t.success(hook.right as UnitHook);
  },
  (h) => ({
    kind: h.kind,
    relationId: h.relationId,
    remoteUnit: h.remoteUnit,
    changeVersion: h.changeVersion,
  }),
);

export const brokenHook = (relationId: RelationId): BrokenHook => ({
  kind: 'relation-broken',
  relationId,
  remoteUnit: '',
  changeVersion: ZERO_VERSION,
});

export const unitHook = (
  kind: UnitHookKind,
  relationId: RelationId,
  remoteUnit: UnitName,
  changeVersion: ChangeVersion,
): UnitHook => ({ kind, relationId, remoteUnit, changeVersion });

export const hookEquals = (a: HookInfo, b: HookInfo): boolean =>
  a.kind === b.kind &&
  a.relationId === b.relationId &&
  a.remoteUnit === b.remoteUnit &&
  a.changeVersion === b.changeVersion;
