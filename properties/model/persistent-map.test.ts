import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PersistentMap, PersistentSortedMap } from '../../src/schedule/persistentMap.ts';
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

/** The two kinds behind one face: what the property does and reads. */
interface Face {
  readonly with: (key: string, value: number) => Face;
  readonly without: (key: string) => Face;
  /** Everything it can say, in one text: size, entries in order, each key's value. */
  readonly read: () => string;
}

const keys = ['a', 'b', 'c', 'd', 'e'];

const unsorted = (m: PersistentMap<string, number>): Face => ({
  with: (k, v) => unsorted(m.with(k, v)),
  without: (k) => unsorted(m.without(k)),
  read: () =>
    JSON.stringify([m.size, m.toArray(), m.keys(), keys.map((k) => [m.get(k) ?? null, m.has(k)])]),
});

const sorted = (m: PersistentSortedMap<string, number>): Face => ({
  with: (k, v) => sorted(m.with(k, v)),
  without: (k) => sorted(m.without(k)),
  read: () =>
    JSON.stringify([
      m.size,
      m.entries(),
      m.entries().map(([k]) => k),
      keys.map((k) => [m.get(k) ?? null, m.get(k) !== undefined]),
      m.first() ?? null,
      m.valuesArray(),
    ]),
});

/** What a copy says, in the same text. */
const expect = (copy: ReadonlyMap<string, number>, kind: 'sorted' | 'unsorted'): string => {
  const want = [...copy].sort(([a], [b]) => byKey(a, b));
  const common = [
    copy.size,
    want,
    want.map(([k]) => k),
    keys.map((k) => [copy.get(k) ?? null, copy.has(k)]),
  ];
  return JSON.stringify(
    kind === 'unsorted' ? common : [...common, want[0]?.[1] ?? null, want.map(([, v]) => v)],
  );
};

for (const kind of ['unsorted', 'sorted'] as const) {
  test(`persistent map (${kind}): every version reads as its own copy, whatever is done after it`, () => {
    let backwards = 0;
    let steps = 0;
    check(
      fc.property(
        fc.array(fc.tuple(keyArb, fc.integer({ min: 0, max: 3 })), { maxLength: 4 }),
        fc.array(fc.tuple(opArb, fc.nat()), { maxLength: 40 }),
        (initial, ops) => {
          const first =
            kind === 'unsorted'
              ? unsorted(PersistentMap.of(initial, byKey))
              : sorted(
                  initial.reduce(
                    (m, [k, v]) => m.with(k, v),
                    PersistentSortedMap.empty<string, number>(byKey),
                  ),
                );
          const versions = [first];
          const copies: ReadonlyMap<string, number>[] = [new Map(initial)];
          for (const [op, look] of ops) {
            const from = op.from % versions.length;
            if (from < versions.length - 1) backwards++;
            steps++;
            const base = versions[from] as Face;
            const copy = new Map(copies[from]);
            if (op.op === 'with') copy.set(op.key, op.value);
            else copy.delete(op.key);
            versions.push(op.op === 'with' ? base.with(op.key, op.value) : base.without(op.key));
            copies.push(copy);
            const i = look % versions.length;
            const copyI = copies[i] as ReadonlyMap<string, number>;
            if ((versions[i] as Face).read() !== expect(copyI, kind)) return false;
          }
          return versions.every(
            (v, i) => v.read() === expect(copies[i] as ReadonlyMap<string, number>, kind),
          );
        },
      ),
      300,
    );
    // The property is about old versions: most steps must start from one.
    assert.ok(backwards > steps / 2, `${backwards} of ${steps} steps started from an old version`);
  });
}

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
