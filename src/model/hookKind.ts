import * as t from 'io-ts';

export const HookKind = t.keyof(
  {
    'relation-joined': null,
    'relation-changed': null,
    'relation-departed': null,
    'relation-broken': null,
  },
  'HookKind',
);
export type HookKind = t.TypeOf<typeof HookKind>;

/** The kinds that name a remote unit (all but relation-broken). */
export type UnitHookKind = Exclude<HookKind, 'relation-broken'>;

export const HOOK_KINDS: readonly HookKind[] = [
  'relation-joined',
  'relation-changed',
  'relation-departed',
  'relation-broken',
];
