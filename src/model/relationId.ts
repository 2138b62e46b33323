import * as t from 'io-ts';

// Go's int: relation ids are small in practice, so a safe JS integer is the
// representation; anything outside that range is refused rather than rounded.
export interface RelationIdBrand {
  readonly RelationId: unique symbol;
}
export type RelationId = t.Branded<number, RelationIdBrand>;

const isRelationId = (u: unknown): u is RelationId =>
  typeof u === 'number' && Number.isSafeInteger(u);

export const RelationId = new t.Type<RelationId, number, unknown>(
  'RelationId',
  isRelationId,
  (u, c) => {
    if (isRelationId(u)) return t.success(u);
    if (typeof u === 'bigint' && isRelationId(Number(u)) && BigInt(Number(u)) === u) {
      return t.success(Number(u) as RelationId);
    }
    return t.failure(u, c, 'expected an integer relation id');
  },
  (id) => id,
);

export const relationId = (n: number): RelationId => {
  if (!isRelationId(n)) throw new RangeError(`not a relation id: ${n}`);
  return n;
};
