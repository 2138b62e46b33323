import type * as E from 'fp-ts/lib/Either.js';
import type * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../../src/model/change.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import type { State } from '../../src/model/state.ts';
import { dyingSource } from '../../src/schedule/dying.ts';
import type { SourceError } from '../../src/schedule/errors.ts';
import { liveSource } from '../../src/schedule/live.ts';
import * as source from '../../src/schedule/source.ts';

/**
 * The hook source API the simulated agent drives: the reference's pure
 * sources, or a deliberately wrong variant of them (properties/guarantees/mutants).
 */
export interface SourceOps<S> {
  readonly name: string;
  readonly live: (initial: State) => E.Either<SourceError, S>;
  readonly dying: (initial: State) => S;
  readonly update: (s: S, change: RelationUnitsChange) => E.Either<SourceError, S>;
  readonly empty: (s: S) => boolean;
  readonly next: (s: S) => O.Option<HookInfo>;
  readonly pop: (s: S) => E.Either<SourceError, S>;
}

export const referenceOps: SourceOps<source.HookSource> = {
  name: 'reference',
  live: liveSource,
  dying: dyingSource,
  update: source.update,
  empty: source.empty,
  next: source.next,
  pop: source.pop,
};
