import type * as E from 'fp-ts/lib/Either.js';
import type * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../model/change.ts';
import type { HookInfo } from '../model/hook.ts';
import type { State } from '../model/state.ts';
import { dyingSource } from './dying.ts';
import type { SourceError } from './errors.ts';
import { listSource } from './list.ts';
import { liveSource } from './live.ts';
import * as pure from './source.ts';

/**
 * The operations on hook sources, over one representation `S`: the pure
 * reference (immutable values, the specification) or the fast engine
 * (mutable objects). `update` and `pop` return the source to use next; an
 * engine may return the argument itself, changed in place, so a caller must
 * not keep using an old value. On error the source is as it was.
 */
export interface Engine<S> {
  readonly name: EngineName;
  readonly live: (initial: State) => E.Either<SourceError, S>;
  readonly dying: (initial: State) => S;
  readonly list: (hooks: readonly HookInfo[]) => S;
  readonly update: (s: S, change: RelationUnitsChange) => E.Either<SourceError, S>;
  readonly empty: (s: S) => boolean;
  readonly next: (s: S) => O.Option<HookInfo>;
  readonly pop: (s: S) => E.Either<SourceError, S>;
}

export const ENGINE_NAMES = ['fast', 'pure'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export const isEngineName = (s: string): s is EngineName =>
  (ENGINE_NAMES as readonly string[]).includes(s);

/** The reference: the persistent sources of live.ts, list.ts and dying.ts. */
export const pureEngine: Engine<pure.HookSource> = {
  name: 'pure',
  live: liveSource,
  dying: dyingSource,
  list: listSource,
  update: pure.update,
  empty: pure.empty,
  next: pure.next,
  pop: pure.pop,
};
