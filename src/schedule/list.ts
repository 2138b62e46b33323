import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { HookInfo } from '../model/hook.ts';
import { emptySource, type SourceError, updatesRefused } from './errors.ts';

/** A fixed sequence of hooks; it has no watcher and refuses updates. */
export interface ListSource {
  readonly _tag: 'ListSource';
  readonly hooks: readonly HookInfo[];
  /** Index of the head; the array itself is shared, never copied. */
  readonly position: number;
}

export const listSource = (hooks: readonly HookInfo[]): ListSource => ({
  _tag: 'ListSource',
  hooks,
  position: 0,
});

export const listUpdate = (_: ListSource): E.Either<SourceError, ListSource> =>
  E.left(updatesRefused);

export const listEmpty = (s: ListSource): boolean => s.position >= s.hooks.length;

export const listNext = (s: ListSource): O.Option<HookInfo> => O.fromNullable(s.hooks[s.position]);

export const listPop = (s: ListSource): E.Either<SourceError, ListSource> =>
  listEmpty(s) ? E.left(emptySource) : E.right({ ...s, position: s.position + 1 });
