import type { ChangeVersion } from '../../src/model/changeVersion.ts';
import { goQuote } from '../../src/model/goquote.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import type { RelationId } from '../../src/model/relationId.ts';
import type { UnitName } from '../../src/model/unitName.ts';
import type { ClauseId } from './clauses.ts';

/** The parts of a State the validity rules read (a State fits, so does the monitor's own). */
export interface StateView {
  readonly relationId: RelationId;
  readonly members: ReadonlyMap<UnitName, ChangeVersion> | null;
  readonly changedPending: UnitName | '';
}

/** Why the model forbids a hook as the next one, with the text Validate must give. */
export interface Refusal {
  readonly clause: 'G1' | 'G4a' | 'G4b' | 'G2' | 'G3b' | 'G3a';
  /** behaviour.md's reason, the part after the `inappropriate ...: ` prefix. */
  readonly reason: string;
  /** The full message Validate must give for it. */
  readonly message: string;
}

const refuse = (clause: Refusal['clause'], hook: HookInfo, reason: string): Refusal => ({
  clause,
  reason,
  message: `inappropriate ${goQuote(hook.kind)} for ${goQuote(hook.remoteUnit)}: ${reason}`,
});

/**
 * The clause that forbids `hook` as the next hook after `state`, or null if
 * the state allows it. Written from the clauses, not from Validate: the
 * clauses are tried in Validate's order (G1, G4a, G4b, G2, G3b, G3a) so that
 * the first one named is the one whose message Validate must give.
 */
export const refusal = (state: StateView, hook: HookInfo): Refusal | null => {
  if (hook.relationId !== state.relationId) {
    return refuse(
      'G1',
      hook,
      `expected relation ${state.relationId}, got relation ${hook.relationId}`,
    );
  }
  const members = state.members;
  if (members === null) {
    return refuse('G4a', hook, 'relation is broken and cannot be changed further');
  }
  if (hook.kind === 'relation-broken') {
    return members.size === 0
      ? null
      : refuse('G4b', hook, 'cannot run "relation-broken" while units still present');
  }
  const owed = state.changedPending;
  if (owed !== '') {
    return hook.kind === 'relation-changed' && hook.remoteUnit === owed
      ? null
      : refuse('G2', hook, `expected "relation-changed" for ${goQuote(owed)}`);
  }
  const member = members.has(hook.remoteUnit);
  if (hook.kind === 'relation-joined') {
    return member ? refuse('G3b', hook, 'unit already joined') : null;
  }
  return member ? null : refuse('G3a', hook, 'unit has not joined');
};

export type RefusalClause = Refusal['clause'];
export const REFUSAL_CLAUSES: readonly ClauseId[] = ['G1', 'G4a', 'G4b', 'G2', 'G3b', 'G3a'];
