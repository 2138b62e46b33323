import * as t from 'io-ts';

// A JSON object decoded into a ReadonlyMap, encoded back with sorted keys so
// that output is stable whatever the insertion order was.
export const readonlyMapFromRecord = <K extends string, A, O>(
  key: t.Type<K, string, unknown>,
  value: t.Type<A, O, unknown>,
  name: string,
): t.Type<ReadonlyMap<K, A>, Record<string, O>, unknown> => {
  return new t.Type<ReadonlyMap<K, A>, Record<string, O>, unknown>(
    name,
    (u): u is ReadonlyMap<K, A> =>
      u instanceof Map && [...u].every(([k, v]) => key.is(k) && value.is(v)),
    (u, c) => {
      // Decoded by hand because t.record silently drops keys its domain refuses.
      const object = t.UnknownRecord.validate(u, c);
      if (object._tag === 'Left') return object;
      const errors: t.ValidationError[] = [];
      const out = new Map<K, A>();
      for (const [k, v] of Object.entries(object.right)) {
        const kc = t.appendContext(c, k, key, k);
        const kr = key.validate(k, kc);
        const vr = value.validate(v, t.appendContext(c, k, value, v));
        if (kr._tag === 'Left') errors.push(...kr.left);
        if (vr._tag === 'Left') errors.push(...vr.left);
        if (kr._tag === 'Right' && vr._tag === 'Right') out.set(kr.right, vr.right);
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (m) => {
      const out: Record<string, O> = {};
      for (const k of [...m.keys()].sort()) out[k] = value.encode(m.get(k) as A);
      return out;
    },
  );
};
