import * as E from 'fp-ts/lib/Either.js';
import { referenceExtraOps } from '../../src/conform/reference.ts';
import type { RelationUnitsChange as Change } from '../../src/model/change.ts';
import { RelationUnitsChange } from '../../src/model/change.ts';
import type { UnitHookKind } from '../../src/model/hookKind.ts';
import type { UnitName } from '../../src/model/unitName.ts';
import {
  createSession,
  defineOp,
  HandleName,
  lookupSource,
  type OpSpec,
  ok,
  referenceOps,
  type Session,
  withOps,
  withSource,
} from '../../src/protocol/index.ts';
import { serveStreams } from '../../src/protocol/server.ts';
import type { LiveSource, UnitEntry } from '../../src/schedule/live.ts';
import type { HookSource } from '../../src/schedule/source.ts';

/**
 * Serve the reference with some ops replaced: a deliberately broken
 * implementation, spoken to over the protocol exactly like a foreign one.
 */
export const serveMutant = async (name: string, ops: readonly OpSpec[]): Promise<never> => {
  const table = withOps(withOps(referenceOps, referenceExtraOps()), ops);
  const session = createSession({ implementation: `broken: ${name}`, ops: table });
  const status = await serveStreams(process.stdin, process.stdout, session);
  process.exit(status);
};

/** The reference's handler for an op, to wrap. */
export const referenceHandler = (op: string) => {
  const spec = withOps(referenceOps, referenceExtraOps()).byName.get(op);
  if (spec === undefined) throw new Error(`no reference op ${op}`);
  return spec.handle as (session: Session, request: unknown) => ReturnType<OpSpec['handle']>;
};

/** The live source under `name`, if that is what it is. */
export const liveOf = (session: Session, name: string): LiveSource | undefined => {
  const s = lookupSource(session, name);
  return E.isRight(s) && s.right._tag === 'LiveSource' ? s.right : undefined;
};

/** Replace the source under `name` in a reply's session. */
export const replaceSource = (session: Session, name: string, source: HookSource): Session =>
  withSource(session, name, source);

// Small surgery on the live source's value, for mutants only.

export const entry = (s: LiveSource, unit: UnitName): UnitEntry | undefined => s.units.get(unit);

export const setEntry = (s: LiveSource, unit: UnitName, e: UnitEntry): LiveSource => ({
  ...s,
  units: s.units.with(unit, e),
});

/** Queue the unit with `kind` at the tail, taking it out of its place first. */
export const toTail = (s: LiveSource, unit: UnitName, kind: UnitHookKind): LiveSource => {
  const e = s.units.get(unit);
  if (e === undefined) return s;
  const queue = e.pending === null ? s.queue : s.queue.without(e.seq);
  const seq = s.nextSeq;
  return {
    ...s,
    units: s.units.with(unit, { ...e, pending: kind, seq }),
    queue: queue.with(seq, unit),
    nextSeq: seq + 1,
  };
};

/**
 * `source.update` as the reference does it, then `alter` rewrites the live
 * source it produced (given the one before): the shape of every broken
 * scheduler that gets one queue rule wrong.
 */
export const alteredUpdate = (
  alter: (before: LiveSource, after: LiveSource, change: Change) => LiveSource,
): OpSpec => {
  const update = referenceHandler('source.update');
  return defineOp(
    'source.update',
    { source: HandleName, change: RelationUnitsChange },
    async (session, request) => {
      const before = liveOf(session, request.source);
      const reply = await update(session, request);
      if (before === undefined || reply._tag !== 'Ok' || reply.session === undefined) return reply;
      const after = liveOf(reply.session, request.source);
      if (after === undefined) return reply;
      const altered = alter(before, after, request.change);
      return ok(reply.result, replaceSource(reply.session, request.source, altered));
    },
  );
};
