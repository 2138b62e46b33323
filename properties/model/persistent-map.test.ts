import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PersistentMap } from '../../src/schedule/persistentMap.ts';
import { check } from '../config.ts';

// The reference engine's unit table is persistent: a version once made
// never changes, whichever versions are changed or read after it. Random
// sequences of with/without, each applied to any version made so far, are
// checked against plain copied Maps, and after every step a random version
// (old or new) must read exactly as its copy does. Going back and forth is
// what moves the root, so the sequences do it all the time.

const keyArb: fc.Arbitrary<string> = fc.constantFrom('a', 'b', 'c', 'd', 'e');

type Op =
  | { readonly op: 'with'; readonly from: number; readonly key: string; readonly value: number }
  | { readonly op: 'without'; readonly from: number; readonly key: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('with' as const),
    from: fc.nat(),
    key: keyArb,
    value: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ op: fc.constant('without' as const), from: fc.nat(), key: keyArb }),
);

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const same = (m: PersistentMap<string, number>, copy: ReadonlyMap<string, number>): boolean => {
  const want = [...copy].sort(([a], [b]) => byKey(a, b));
  if (m.size !== copy.size) return false;
  if (JSON.stringify(m.toArray()) !== JSON.stringify(want)) return false;
  if (JSON.stringify(m.keys()) !== JSON.stringify(want.map(([k]) => k))) return false;
  for (const k of ['a', 'b', 'c', 'd', 'e']) {
    if (m.get(k) !== copy.get(k) || m.has(k) !== copy.has(k)) return false;
  }
  return true;
};

test('persistent map: every version reads as its own copy, whatever is done after it', () => {
  let backwards = 0;
  let steps = 0;
  check(
    fc.property(
      fc.array(fc.tuple(keyArb, fc.integer({ min: 0, max: 3 })), { maxLength: 4 }),
      fc.array(fc.tuple(opArb, fc.nat()), { maxLength: 40 }),
      (initial, ops) => {
        const versions = [PersistentMap.of(initial, byKey)];
        const copies: ReadonlyMap<string, number>[] = [new Map(initial)];
        for (const [op, look] of ops) {
          const from = op.from % versions.length;
          if (from < versions.length - 1) backwards++;
          steps++;
          const base = versions[from] as PersistentMap<string, number>;
          const copy = new Map(copies[from]);
          if (op.op === 'with') copy.set(op.key, op.value);
          else copy.delete(op.key);
          versions.push(op.op === 'with' ? base.with(op.key, op.value) : base.without(op.key));
          copies.push(copy);
          const i = look % versions.length;
          if (!same(versions[i] as PersistentMap<string, number>, copies[i] as Map<string, number>))
            return false;
        }
        return versions.every((v, i) => same(v, copies[i] as Map<string, number>));
      },
    ),
    300,
  );
  // The property is about old versions: most steps must start from one.
  assert.ok(backwards > steps / 2, `${backwards} of ${steps} steps started from an old version`);
});

test('persistent map: a long chain of versions rerooted from its far end', () => {
  let m = PersistentMap.of<string, number>([], byKey);
  const first = m;
  const all: PersistentMap<string, number>[] = [];
  for (let i = 0; i < 100_000; i++) {
    m = m.with(`k${i % 100}`, i);
    all.push(m);
  }
  // Back to the start without recursion, then forward again.
  assert.is(first.size, 0);
  assert.is(m.get('k99'), 99_999);
  assert.is(all[150]?.get('k50'), 150);
  assert.is(all[150]?.get('k51'), 51);
  assert.is(m.size, 100);
});

test.run();
