import type * as E from 'fp-ts/lib/Either.js';
import type * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../model/change.ts';
import type { HookInfo } from '../model/hook.ts';
import type { SourceError } from './errors.ts';
import { type ListSource, listEmpty, listNext, listPop, listUpdate } from './list.ts';
import { type LiveSource, liveEmpty, liveNext, livePop, liveUpdate } from './live.ts';

/** Any hook source, as an immutable value. The dying source is a list source. */
export type HookSource = LiveSource | ListSource;

/** Apply a watcher change; list (and dying) sources refuse. */
export const update = (
  s: HookSource,
  change: RelationUnitsChange,
): E.Either<SourceError, HookSource> =>
  s._tag === 'LiveSource' ? liveUpdate(s, change) : listUpdate(s);

/** Whether no hook is scheduled (a live source is empty until its first change). */
export const empty = (s: HookSource): boolean =>
  s._tag === 'LiveSource' ? liveEmpty(s) : listEmpty(s);

/** The head hook, or none when empty. */
export const next = (s: HookSource): O.Option<HookInfo> =>
  s._tag === 'LiveSource' ? liveNext(s) : listNext(s);

/** Drop the head hook; an error when empty. */
export const pop = (s: HookSource): E.Either<SourceError, HookSource> =>
  s._tag === 'LiveSource' ? livePop(s) : listPop(s);

/** Whether the source takes watcher changes (only the live one does). */
export const hasChanges = (s: HookSource): boolean => s._tag === 'LiveSource';
