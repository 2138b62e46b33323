import * as t from 'io-ts';

/**
 * A union of object codecs told apart by one string field. Unlike t.union it
 * decodes only the branch the tag names, so an error speaks about that shape
 * alone (t.union would also report every other branch's mismatch).
 */
export const taggedUnion = <K extends string, const M extends Record<string, t.Mixed>>(
  tag: K,
  members: M,
  name: string,
): t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown> => {
  const tags = Object.keys(members);
  const TagC = t.type({ [tag]: t.keyof(Object.fromEntries(tags.map((k) => [k, null]))) });
  const all = t.union(Object.values(members) as unknown as [t.Mixed, t.Mixed, ...t.Mixed[]]);
  return new t.Type(
    name,
    (u): u is t.TypeOf<M[keyof M]> => all.is(u),
    (u, c) => {
      const head = TagC.validate(u, c);
      if (head._tag === 'Left') return head;
      const key = (head.right as Record<K, string>)[tag];
      return (members[key] as t.Mixed).validate(u, c);
    },
    (a) => {
      const key = (a as Record<K, string>)[tag];
      return (members[key] as t.Mixed).encode(a);
    },
  );
};
