import * as fc from 'fast-check';
import { referenceOps } from '../../src/protocol/index.ts';

// Malformed input for the fuzz suite: text that is almost right (JSON with a
// field changed, cut or duplicated) mixed with text that is not (binary,
// control characters, separators, huge numbers, deep nesting).

const nasty = fc.constantFrom(
  '',
  ' ',
  '\r',
  '\t',
  '\u0000',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud800',
  '1e400',
  '-0',
  '9223372036854775808',
  '-9223372036854775809',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
  '"',
  '\\',
  '$BASE',
  '$BASE/..',
  '../../x',
  '/dev/zero',
  '/dev/null',
  'relation-joined',
  'mysql/0',
  '&a [*a,*a]',
  '<<: *a',
  '[[[[[[[[[[[[',
);

/** A JSON value with the odd numbers and strings of `nasty` in it. */
export const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.boolean(), fc.constant(null)),
    fc.oneof(fc.string(), nasty, fc.string({ unit: 'binary' })),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), nasty), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Change one thing in a JSON text: cut it, insert a character, duplicate a part. */
export const mutateText = (text: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(text),
    fc.nat(text.length).map((i) => text.slice(0, i)),
    fc.tuple(fc.nat(text.length), nasty).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc
      .tuple(fc.nat(text.length), fc.nat(text.length))
      .map(([i, j]) => text + text.slice(Math.min(i, j), Math.max(i, j))),
  );

// Every op the reference knows (statedir ones included), and one it does not.
const OPS = [...referenceOps.byName.keys(), 'no.such.op'];

/** One request line: a request with odd fields, possibly mangled, or plain garbage. */
export const requestLine: fc.Arbitrary<string> = fc.oneof(
  fc
    .record(
      {
        id: fc.oneof(fc.nat(), jsonish),
        op: fc.oneof(fc.constantFrom(...OPS), jsonish),
        source: fc.oneof(fc.constantFrom('s', 'm'), jsonish),
        dir: fc.oneof(fc.constantFrom('d', 'x'), jsonish),
        base: fc.oneof(fc.constantFrom('/fuzz', '/fuzz/7', '/dev/null', 'relative', ''), jsonish),
        relationId: fc.oneof(fc.nat(9), jsonish),
        state: jsonish,
        hook: jsonish,
        change: jsonish,
        hooks: jsonish,
      },
      { requiredKeys: ['id', 'op'] },
    )
    .map((r) => {
      try {
        return JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null';
      } catch {
        return '{}';
      }
    })
    .chain(mutateText),
  fc.string({ unit: 'binary', maxLength: 200 }),
  nasty,
);

/** Bytes of a file that may be text, YAML, binary or big. */
export const fileBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom('change-version: 1\n', 'change-version: 2\nchanged-pending: true\n')
    .chain((t) => mutateText(t).map((s) => Buffer.from(s))),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  nasty.map((s) => Buffer.from(`change-version: ${s}\n`)),
  fc.constantFrom(64 * 1024, 2 * 1024 * 1024).map((n) => Buffer.alloc(n, 0x5b)),
);
