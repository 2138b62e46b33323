import { goQuote } from '../model/goquote.ts';
import type { UnitName } from '../model/unitName.ts';

/**
 * Why a source operation failed. Go panicked or crashed in most of these
 * cases; here each is a value with a message that says what went wrong.
 */
export type SourceError =
  | { readonly _tag: 'EmptySource'; readonly message: string }
  | { readonly _tag: 'UpdatesRefused'; readonly message: string }
  | { readonly _tag: 'FirstChangeHasDepartures'; readonly message: string }
  | { readonly _tag: 'UnknownDeparture'; readonly message: string }
  | { readonly _tag: 'PendingUnitNotMember'; readonly message: string };

export const emptySource: SourceError = { _tag: 'EmptySource', message: 'HookSource is empty' };

// The text of Go's NoUpdates.Update.
export const updatesRefused: SourceError = {
  _tag: 'UpdatesRefused',
  message: 'HookSource does not accept updates',
};

export const firstChangeHasDepartures = (departed: readonly UnitName[]): SourceError => ({
  _tag: 'FirstChangeHasDepartures',
  message: `hook source watcher sent bad event: first change departs ${departed.map(goQuote).join(', ')}`,
});

export const unknownDeparture = (unit: UnitName): SourceError => ({
  _tag: 'UnknownDeparture',
  message: `hook source watcher sent bad event: departure of unknown unit ${goQuote(unit)}`,
});

export const pendingUnitNotMember = (unit: UnitName): SourceError => ({
  _tag: 'PendingUnitNotMember',
  message: `invalid initial state: changed-pending unit ${goQuote(unit)} is not a member`,
});
