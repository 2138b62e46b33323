import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as t from 'io-ts';
import { RelationUnitsChange } from '../../model/change.ts';
import { HookInfo } from '../../model/hook.ts';
import { State } from '../../model/state.ts';
import { type Engine, pureEngine } from '../../schedule/engine.ts';
import { emptySource } from '../../schedule/errors.ts';
import { defineOp, failed, type OpSpec, ok, type Reply } from '../registry.ts';
import {
  lookupSource,
  type Session,
  type SessionSource,
  withoutSource,
  withSource,
} from '../session.ts';
import { encodeHook, HandleName } from '../wire.ts';

// The hook source ops. A source lives under the name the runner picked; a
// create op under a name in use replaces that source. Naming a source that
// does not exist is a protocol error (the runner is wrong, not the
// implementation), while every failure of the source itself is a domain
// result {"error": ...}. The ops are built over one engine: the pure
// reference, or the fast engine, whose sources change in place.

const Named = { source: HandleName };

/** The source ops over `engine`; every source in the session must come from it. */
export const sourceOpsFor = <S extends SessionSource>(engine: Engine<S>): readonly OpSpec[] => {
  const lookup = (session: Session, name: string) =>
    lookupSource(session, name) as E.Either<Reply, S>;

  /** On failure (changed-pending unit not a member) nothing is created or replaced. */
  const live = defineOp('source.live', { ...Named, state: State }, (session, request) => {
    const created = engine.live(request.state);
    if (E.isLeft(created)) return failed(created.left.message);
    return ok({}, withSource(session, request.source, created.right));
  });

  const dying = defineOp('source.dying', { ...Named, state: State }, (session, request) =>
    ok({}, withSource(session, request.source, engine.dying(request.state))),
  );

  const list = defineOp(
    'source.list',
    { ...Named, hooks: t.readonlyArray(HookInfo) },
    (session, request) => ok({}, withSource(session, request.source, engine.list(request.hooks))),
  );

  /** On failure the source is left as it was before the update. */
  const updateOp = defineOp(
    'source.update',
    { ...Named, change: RelationUnitsChange },
    (session, request) => {
      const source = lookup(session, request.source);
      if (E.isLeft(source)) return source.left;
      const updated = engine.update(source.right, request.change);
      if (E.isLeft(updated)) return failed(updated.left.message);
      return ok({}, withSource(session, request.source, updated.right));
    },
  );

  const emptyOp = defineOp('source.empty', Named, (session, request) => {
    const source = lookup(session, request.source);
    if (E.isLeft(source)) return source.left;
    return ok({ empty: engine.empty(source.right) });
  });

  const nextOp = defineOp('source.next', Named, (session, request) => {
    const source = lookup(session, request.source);
    if (E.isLeft(source)) return source.left;
    const head = engine.next(source.right);
    return O.isSome(head) ? ok({ hook: encodeHook(head.value) }) : failed(emptySource.message);
  });

  const popOp = defineOp('source.pop', Named, (session, request) => {
    const source = lookup(session, request.source);
    if (E.isLeft(source)) return source.left;
    const popped = engine.pop(source.right);
    if (E.isLeft(popped)) return failed(popped.left.message);
    return ok({}, withSource(session, request.source, popped.right));
  });

  /** Stopping releases the name: later ops on it are unknown-source errors. */
  const stop = defineOp('source.stop', Named, (session, request) => {
    const source = lookup(session, request.source);
    if (E.isLeft(source)) return source.left;
    return ok({}, withoutSource(session, request.source));
  });

  return [live, dying, list, updateOp, emptyOp, nextOp, popOp, stop];
};

/** The reference's source ops: the pure engine. */
export const sourceOps: readonly OpSpec[] = sourceOpsFor(pureEngine);
