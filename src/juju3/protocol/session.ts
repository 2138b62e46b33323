import * as E from 'fp-ts/lib/Either.js';
import { type Reply, refused } from '../../protocol/registry.ts';
import type { Session } from '../../protocol/session.ts';
import type { Relation } from '../types.ts';

// The juju-3 ops keep the agent's relations, by handle name, in the session
// value next to the fields every session has. Nothing else is remembered
// between requests: the resolver has no queue.

export type Relations = ReadonlyMap<string, Relation>;

type WithRelations = Session & { readonly juju3Relations?: Relations };

export const relationsOf = (session: Session): Relations =>
  (session as WithRelations).juju3Relations ?? new Map();

export const withRelations = (session: Session, relations: Relations): Session =>
  ({ ...session, juju3Relations: relations }) as WithRelations;

export const withRelation = (session: Session, name: string, rel: Relation): Session =>
  withRelations(session, new Map(relationsOf(session)).set(name, rel));

export const lookupRelation = (session: Session, name: string): E.Either<Reply, Relation> => {
  const rel = relationsOf(session).get(name);
  return rel === undefined
    ? E.left(refused(`unknown relation ${JSON.stringify(name)}`))
    : E.right(rel);
};
