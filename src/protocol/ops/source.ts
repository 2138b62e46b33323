import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as t from 'io-ts';
import { RelationUnitsChange } from '../../model/change.ts';
import { HookInfo } from '../../model/hook.ts';
import { State } from '../../model/state.ts';
import { dyingSource } from '../../schedule/dying.ts';
import { emptySource } from '../../schedule/errors.ts';
import { listSource } from '../../schedule/list.ts';
import { liveSource } from '../../schedule/live.ts';
import { empty, next, pop, update } from '../../schedule/source.ts';
import { defineOp, failed, type OpSpec, ok } from '../registry.ts';
import { lookupSource, withoutSource, withSource } from '../session.ts';
import { encodeHook, HandleName } from '../wire.ts';

// The hook source ops. A source lives under the name the runner picked; a
// create op under a name in use replaces that source. Naming a source that
// does not exist is a protocol error (the runner is wrong, not the
// implementation), while every failure of the source itself is a domain
// result {"error": ...}.

const Named = { source: HandleName };

/** On failure (changed-pending unit not a member) nothing is created or replaced. */
export const live = defineOp('source.live', { ...Named, state: State }, (session, request) => {
  const created = liveSource(request.state);
  if (E.isLeft(created)) return failed(created.left.message);
  return ok({}, withSource(session, request.source, created.right));
});

export const dying = defineOp('source.dying', { ...Named, state: State }, (session, request) =>
  ok({}, withSource(session, request.source, dyingSource(request.state))),
);

export const list = defineOp(
  'source.list',
  { ...Named, hooks: t.readonlyArray(HookInfo) },
  (session, request) => ok({}, withSource(session, request.source, listSource(request.hooks))),
);

/** On failure the source is left as it was before the update. */
export const updateOp = defineOp(
  'source.update',
  { ...Named, change: RelationUnitsChange },
  (session, request) => {
    const source = lookupSource(session, request.source);
    if (E.isLeft(source)) return source.left;
    const updated = update(source.right, request.change);
    if (E.isLeft(updated)) return failed(updated.left.message);
    return ok({}, withSource(session, request.source, updated.right));
  },
);

export const emptyOp = defineOp('source.empty', Named, (session, request) => {
  const source = lookupSource(session, request.source);
  if (E.isLeft(source)) return source.left;
  return ok({ empty: empty(source.right) });
});

export const nextOp = defineOp('source.next', Named, (session, request) => {
  const source = lookupSource(session, request.source);
  if (E.isLeft(source)) return source.left;
  const head = next(source.right);
  return O.isSome(head) ? ok({ hook: encodeHook(head.value) }) : failed(emptySource.message);
});

export const popOp = defineOp('source.pop', Named, (session, request) => {
  const source = lookupSource(session, request.source);
  if (E.isLeft(source)) return source.left;
  const popped = pop(source.right);
  if (E.isLeft(popped)) return failed(popped.left.message);
  return ok({}, withSource(session, request.source, popped.right));
});

/** Stopping releases the name: later ops on it are unknown-source errors. */
export const stop = defineOp('source.stop', Named, (session, request) => {
  const source = lookupSource(session, request.source);
  if (E.isLeft(source)) return source.left;
  return ok({}, withoutSource(session, request.source));
});

export const sourceOps: readonly OpSpec[] = [
  live,
  dying,
  list,
  updateOp,
  emptyOp,
  nextOp,
  popOp,
  stop,
];
