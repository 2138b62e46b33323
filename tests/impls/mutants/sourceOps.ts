import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { RelationUnitsChange } from '../../../src/model/change.ts';
import { HookInfo } from '../../../src/model/hook.ts';
import { State } from '../../../src/model/state.ts';
import {
  defineOp,
  encodeHook,
  failed,
  HandleName,
  lookupSource,
  type OpSpec,
  ok,
  type Reply,
  type Session,
  withoutSource,
  withSource,
} from '../../../src/protocol/index.ts';
import { emptySource, updatesRefused } from '../../../src/schedule/errors.ts';
import type { HookSource } from '../../../src/schedule/source.ts';
import { acceptsUpdates, type MutantList, mutantDyingSource, mutantListSource } from './list.ts';
import {
  type MutantLive,
  mutantLiveEmpty,
  mutantLiveNext,
  mutantLivePop,
  mutantLiveSource,
  mutantLiveUpdate,
} from './live.ts';
import type { Off } from './rules.ts';
import { mutantValidate } from './validate.ts';

// The source ops and validate of a mutant, with the same handles and replies
// as src/protocol/ops/source.ts. The session's source table holds the
// mutant's own source values; they never reach reference code.

type MutantSource = MutantLive | MutantList;

const store = (session: Session, name: string, s: MutantSource): Session =>
  withSource(session, name, s as unknown as HookSource);

const found = (session: Session, name: string): E.Either<Reply, MutantSource> =>
  E.map((s: unknown) => s as MutantSource)(lookupSource(session, name));

const Named = { source: HandleName };

export const mutantCoreOps = (off: Off): readonly OpSpec[] => [
  defineOp('validate', { state: State, hook: HookInfo }, (_, request) => {
    const error = mutantValidate(off, request.state, request.hook);
    return ok(error === undefined ? { valid: true } : { valid: false, error });
  }),
  // R-PROTOCOL-HYGIENE off: missing members and changedPending decode as none.
  defineOp('source.live', { ...Named, state: t.UnknownRecord }, (session, request) => {
    const raw = request.state;
    const lenient = off('R-PROTOCOL-HYGIENE') ? { members: {}, changedPending: '', ...raw } : raw;
    const state = State.decode(lenient);
    if (E.isLeft(state)) return { _tag: 'Refused', message: 'invalid request: state: not a State' };
    const created = mutantLiveSource(off, state.right);
    if (E.isLeft(created)) return failed(created.left.message);
    return ok({}, store(session, request.source, created.right));
  }),
  defineOp('source.dying', { ...Named, state: State }, (session, request) =>
    ok({}, store(session, request.source, mutantDyingSource(off, request.state))),
  ),
  defineOp('source.list', { ...Named, hooks: t.readonlyArray(HookInfo) }, (session, request) =>
    ok({}, store(session, request.source, mutantListSource(off, request.hooks))),
  ),
  defineOp('source.update', { ...Named, change: RelationUnitsChange }, (session, request) => {
    const s = found(session, request.source);
    if (E.isLeft(s)) return s.left;
    if (s.right._tag === 'MutantList') {
      return acceptsUpdates(off, s.right) ? ok({}) : failed(updatesRefused.message);
    }
    const updated = mutantLiveUpdate(off, s.right, request.change);
    if (E.isLeft(updated)) return failed(updated.left.message);
    return ok({}, store(session, request.source, updated.right));
  }),
  defineOp('source.empty', Named, (session, request) => {
    const s = found(session, request.source);
    if (E.isLeft(s)) return s.left;
    const src = s.right;
    return ok({
      empty:
        src._tag === 'MutantLive' ? mutantLiveEmpty(off, src) : src.position >= src.hooks.length,
    });
  }),
  defineOp('source.next', Named, (session, request) => {
    const s = found(session, request.source);
    if (E.isLeft(s)) return s.left;
    const src = s.right;
    const head = src._tag === 'MutantLive' ? mutantLiveNext(off, src) : src.hooks[src.position];
    return head === undefined ? failed(emptySource.message) : ok({ hook: encodeHook(head) });
  }),
  defineOp('source.pop', Named, (session, request) => {
    const s = found(session, request.source);
    if (E.isLeft(s)) return s.left;
    const src = s.right;
    if (src._tag === 'MutantLive') {
      const popped = mutantLivePop(off, src);
      if (E.isLeft(popped)) return failed(popped.left.message);
      return ok({}, store(session, request.source, popped.right));
    }
    if (src.position >= src.hooks.length) {
      return off('R-SOURCE-EMPTY-MISUSE') ? ok({}) : failed(emptySource.message);
    }
    return ok({}, store(session, request.source, { ...src, position: src.position + 1 }));
  }),
  defineOp('source.stop', Named, (session, request) => {
    const s = found(session, request.source);
    if (E.isLeft(s)) return s.left;
    return ok({}, withoutSource(session, request.source));
  }),
];
