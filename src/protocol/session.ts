import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type DecodeError, decodeWith } from '../model/decode.ts';
import { parseJson } from '../model/json.ts';
import type { State } from '../model/state.ts';
import { taggedUnion } from '../model/tagged.ts';
import { type BTree, BTreeClass } from '../schedule/btree.ts';
import type { FastSource } from '../schedule/fast/engine.ts';
import type { HookSource } from '../schedule/source.ts';
import type { Awaitable, OpTable, Reply } from './registry.ts';
import { encodeResponse, RequestId, type Response } from './wire.ts';

/** A state directory opened under a handle name: Go's StateDir (its path and its state). */
export interface DirHandle {
  readonly path: string;
  readonly state: State;
}

/**
 * A source under a handle: a value of the pure engine, or a mutable object
 * of the fast engine (which the session's ops change in place).
 */
export type SessionSource = HookSource | FastSource;

/**
 * Everything a protocol server remembers between requests, as an immutable
 * value: the named sources and state directories the runner created, and the
 * ops it answers. Handles live in persistent B-trees, so an op that changes
 * one handle copies O(log n) nodes, never the whole set.
 */
export interface Session {
  readonly implementation: string;
  readonly ops: OpTable;
  readonly decode: (u: unknown) => E.Either<DecodeError, { readonly op: string }>;
  readonly sources: BTree<string, SessionSource>;
  readonly dirs: BTree<string, DirHandle>;
}

export interface SessionOptions {
  /** What `hello` reports as the implementation, e.g. "relspec 0.1.0". */
  readonly implementation: string;
  readonly ops: OpTable;
}

export const createSession = (options: SessionOptions): Session => {
  const members = Object.fromEntries(
    [...options.ops.byName.values()].map((spec) => [
      spec.op,
      t.type({ op: t.literal(spec.op), ...spec.fields }),
    ]),
  );
  const codec = taggedUnion('op', members, 'request');
  return {
    implementation: options.implementation,
    ops: options.ops,
    decode: decodeWith(codec as t.Type<{ readonly op: string }, unknown, unknown>, 'request'),
    sources: new BTreeClass<string, SessionSource>(),
    dirs: new BTreeClass<string, DirHandle>(),
  };
};

// Handle helpers for handlers. Reusing a name replaces what it named.

export const lookupSource = (session: Session, name: string): E.Either<Reply, SessionSource> => {
  const source = session.sources.get(name);
  return source === undefined
    ? E.left({ _tag: 'Refused', message: `unknown source ${JSON.stringify(name)}` })
    : E.right(source);
};

export const withSource = (session: Session, name: string, source: SessionSource): Session => ({
  ...session,
  sources: session.sources.with(name, source, true),
});

export const withoutSource = (session: Session, name: string): Session => ({
  ...session,
  sources: session.sources.without(name),
});

export const lookupDir = (session: Session, name: string): E.Either<Reply, DirHandle> => {
  const dir = session.dirs.get(name);
  return dir === undefined
    ? E.left({ _tag: 'Refused', message: `unknown state directory ${JSON.stringify(name)}` })
    : E.right(dir);
};

export const withDir = (session: Session, name: string, dir: DirHandle): Session => ({
  ...session,
  dirs: session.dirs.with(name, dir, true),
});

export const withoutDir = (session: Session, name: string): Session => ({
  ...session,
  dirs: session.dirs.without(name),
});

/** The outcome of one request: the session after it and the response to send. */
export interface Step {
  readonly session: Session;
  readonly response: Response;
  /** The response as one JSON line, without the newline. */
  readonly line: string;
  /** True after `bye`: the server answers, then stops reading. */
  readonly done: boolean;
}

const step = (session: Session, response: Response, done = false): Step => ({
  session,
  response,
  line: encodeResponse(response),
  done,
});

const protocolError = (session: Session, id: RequestId | null, error: string): Step =>
  step(session, { id, ok: false, error });

const OpName = new t.Type<string, string, unknown>(
  'OpName',
  t.string.is,
  (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c, 'expected an op name')),
  (s) => s,
);
// The envelope is decoded in two steps so that a bad op still echoes the id.
const decodeId = decodeWith(t.type({ id: RequestId }, 'a JSON object'), 'request');
const decodeOp = decodeWith(t.type({ op: OpName }, 'a JSON object'), 'request');

/** Whether a step is still to come (an asynchronous op); pure ops answer at once. */
export const isPromise = <A>(x: Awaitable<A>): x is Promise<A> =>
  typeof (x as { then?: unknown }).then === 'function';

const toStep = (session: Session, id: RequestId, reply: Reply): Step => {
  switch (reply._tag) {
    case 'Ok':
      return step(reply.session ?? session, { id, ok: true, result: reply.result });
    case 'Refused':
      return protocolError(session, id, reply.message);
    case 'Farewell':
      return step(session, { id, ok: true, result: {} }, true);
  }
};

const internalError = (e: unknown): string =>
  `internal error: ${e instanceof Error ? e.message : String(e)}`;

/**
 * Answer one decoded request value (a parsed JSON value; integers beyond
 * 2^53 as bigint). Synchronous unless the op's handler is asynchronous.
 */
export const handleRequest = (session: Session, value: unknown): Awaitable<Step> => {
  const envelope = decodeId(value);
  if (E.isLeft(envelope)) return protocolError(session, null, envelope.left.message);
  const { id } = envelope.right;
  const op = decodeOp(value);
  if (E.isLeft(op)) return protocolError(session, id, op.left.message);
  if (!session.ops.byName.has(op.right.op)) {
    return protocolError(session, id, `unknown op ${JSON.stringify(op.right.op)}`);
  }
  const request = session.decode(value);
  if (E.isLeft(request)) return protocolError(session, id, request.left.message);
  const spec = session.ops.byName.get(request.right.op);
  if (spec === undefined) return protocolError(session, id, `unknown op ${request.right.op}`);
  const handle = spec.handle as (s: Session, r: unknown) => Awaitable<Reply>;
  try {
    const reply = handle(session, request.right);
    if (!isPromise(reply)) return toStep(session, id, reply);
    return reply.then(
      (r) => toStep(session, id, r),
      (e: unknown) => protocolError(session, id, internalError(e)),
    );
  } catch (e) {
    // Handlers return errors as values; this only keeps a server alive on a bug.
    return protocolError(session, id, internalError(e));
  }
};

/** Answer one request line (JSON text, without its newline). */
export const handleLine = (session: Session, line: string): Awaitable<Step> => {
  const parsed = parseJson(line);
  if (E.isLeft(parsed)) return protocolError(session, null, `invalid JSON: ${parsed.left.message}`);
  return handleRequest(session, parsed.right);
};
