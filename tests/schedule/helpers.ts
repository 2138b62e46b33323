import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as assert from 'uvu/assert';
import {
  type ChangeVersion,
  changeVersion,
  type HookInfo,
  type RelationUnitsChange,
  relationId,
  type State,
  type UnitName,
  unitName,
} from '../../src/model/index.ts';
import type { SourceError } from '../../src/schedule/errors.ts';
import { type LiveSource, liveSource, liveUpdate } from '../../src/schedule/live.ts';
import { type HookSource, next, pop } from '../../src/schedule/source.ts';

// Small literals for the schedule tests: states and changes from records,
// hooks shown as one short string ("joined a/0 3") so that whole sequences
// compare at a glance.

export const R = relationId(7);

type Version = number | bigint;

const v = (n: Version): ChangeVersion => changeVersion(n);

/** A state of relation R: `st({ 'a/0': 1 }, 'a/0')`; `null` members is broken. */
export const st = (members: Record<string, Version> | null, pending = ''): State => ({
  relationId: R,
  members:
    members === null ? null : new Map(Object.entries(members).map(([k, n]) => [unitName(k), v(n)])),
  changedPending: pending === '' ? '' : unitName(pending),
});

/**
 * A change: `ch({ 'a/0': 2 }, ['b/0'])`. Pairs keep the map's insertion
 * order exactly as written, for the tests about processing order.
 */
export const ch = (
  changed: Record<string, Version> | readonly (readonly [string, Version])[] = {},
  departed: readonly string[] = [],
): RelationUnitsChange => ({
  changed: new Map(
    (Array.isArray(changed) ? changed : Object.entries(changed)).map(
      ([k, n]: readonly [string, Version]): [UnitName, ChangeVersion] => [unitName(k), v(n)],
    ),
  ),
  departed: departed.map(unitName),
});

/** "joined a/0 3", "broken" */
export const show = (h: HookInfo): string =>
  h.kind === 'relation-broken'
    ? 'broken'
    : `${h.kind.replace('relation-', '')} ${h.remoteUnit} ${h.changeVersion}`;

/** Fail the current test (uvu's unreachable, typed as never). */
export const fail = (message: string): never => {
  assert.unreachable(message);
  throw new Error(message);
};

export const right = <A>(e: E.Either<SourceError, A>): A => {
  if (E.isLeft(e)) return fail(`unexpected error: ${e.left.message}`);
  return e.right;
};

export const leftMessage = <A>(e: E.Either<SourceError, A>): string => {
  if (E.isRight(e)) return fail('expected an error, got a source');
  return e.left.message;
};

/** A live source from `state`, with `changes` applied in order (each must succeed). */
export const live = (state: State, ...changes: RelationUnitsChange[]): LiveSource =>
  feed(right(liveSource(state)), ...changes);

export const feed = (s: LiveSource, ...changes: RelationUnitsChange[]): LiveSource =>
  changes.reduce((acc, c) => right(liveUpdate(acc, c)), s);

/** The head as a string, or "none". */
export const peek = (s: HookSource): string =>
  O.match(
    () => 'none',
    (h: HookInfo) => show(h),
  )(next(s));

/** Every hook the source yields, popping until it is empty. */
export const drain = (s: HookSource): string[] => {
  const out: string[] = [];
  let cur = s;
  for (let i = 0; i < 10_000; i++) {
    const h = next(cur);
    if (O.isNone(h)) return out;
    out.push(show(h.value));
    cur = right(pop(cur));
  }
  return fail('source never became empty');
};

/** Pop `n` hooks, returning the source after them. */
export const popN = <S extends HookSource>(s: S, n: number): S => {
  let cur: HookSource = s;
  for (let i = 0; i < n; i++) cur = right(pop(cur));
  return cur as S;
};
