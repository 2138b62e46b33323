import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ChangeVersion,
  decodeWith,
  HookInfo,
  hookEquals,
  parseJson,
  RelationUnitsChange,
  State,
  stateEquals,
  stringifyJson,
} from '../../src/model/index.ts';
import { check } from '../config.ts';
import { changeJson, hookJson, int64, isBeyondDouble, stateJson } from './arbitraries.ts';

// JSON text -> parseJson -> decode -> encode -> stringifyJson gives back the
// same text, and the decoded value survives the way back, for every int64.

const RUNS = 300;

/** text -> value -> text, or the reason it failed. */
const roundTrip = <A, O>(codec: t.Type<A, O, unknown>, text: string): E.Either<string, string> => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) return E.left(parsed.left.message);
  const decoded = decodeWith(codec)(parsed.right);
  if (E.isLeft(decoded)) return E.left(decoded.left.message);
  return E.right(stringifyJson(codec.encode(decoded.right)));
};

/** The decoded value of `text`; the test fails if it does not decode. */
const decodeText = <A, O>(codec: t.Type<A, O, unknown>, text: string): A => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  const decoded = decodeWith(codec)(parsed.right);
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  return decoded.right;
};

const same = (text: string, result: E.Either<string, string>): boolean =>
  E.isRight(result) && result.right === text;

test('ChangeVersion: every int64 survives text -> decode -> encode -> text', () => {
  let beyond = 0;
  check(
    fc.property(int64(), (n) => {
      if (isBeyondDouble(n)) beyond++;
      const text = n.toString();
      const back = decodeText(ChangeVersion, text);
      return same(text, roundTrip(ChangeVersion, text)) && back === n;
    }),
    RUNS,
  );
  assert.ok(beyond > 0, 'no version beyond 2^53 was generated');
});

test('State: JSON text round trip, and value round trip, over the full int64 range', () => {
  const seen = { beyond: 0, broken: 0, pending: 0 };
  check(
    fc.property(stateJson(), (json) => {
      const text = stringifyJson(json);
      if (Object.values(json.members ?? {}).some(isBeyondDouble)) seen.beyond++;
      if (json.members === null) seen.broken++;
      if (json.changedPending !== '') seen.pending++;
      const value = decodeText(State, text);
      const again = decodeText(State, stringifyJson(State.encode(value)));
      return same(text, roundTrip(State, text)) && stateEquals(value, again);
    }),
    RUNS,
  );
  assert.ok(seen.beyond > 0 && seen.broken > 0 && seen.pending > 0, JSON.stringify(seen));
});

test('HookInfo: JSON text round trip over the full int64 range, broken included', () => {
  const seen = { beyond: 0, broken: 0 };
  check(
    fc.property(hookJson(), (json) => {
      const text = stringifyJson(json);
      if (isBeyondDouble(json.changeVersion)) seen.beyond++;
      if (json.kind === 'relation-broken') seen.broken++;
      const value = decodeText(HookInfo, text);
      const again = decodeText(HookInfo, stringifyJson(HookInfo.encode(value)));
      return same(text, roundTrip(HookInfo, text)) && hookEquals(value, again);
    }),
    RUNS,
  );
  assert.ok(seen.beyond > 0 && seen.broken > 0, JSON.stringify(seen));
});

test('RelationUnitsChange: JSON text round trip over the full int64 range', () => {
  const seen = { beyond: 0, departed: 0 };
  check(
    fc.property(changeJson(), (json) => {
      const text = stringifyJson(json);
      if (Object.values(json.changed).some((s) => isBeyondDouble(s.version))) seen.beyond++;
      if (json.departed.length > 0) seen.departed++;
      const value = decodeText(RelationUnitsChange, text);
      const versions = [...value.changed.values()];
      return (
        same(text, roundTrip(RelationUnitsChange, text)) &&
        versions.every((v) => typeof v === 'bigint') &&
        value.departed.length === json.departed.length
      );
    }),
    RUNS,
  );
  assert.ok(seen.beyond > 0 && seen.departed > 0, JSON.stringify(seen));
});

test('ChangeVersion: integers just outside int64 are rejected with their digits', () => {
  let checked = 0;
  check(
    fc.property(
      fc.oneof(
        fc.bigInt({ min: 2n ** 63n, max: 2n ** 70n }),
        fc.bigInt({ min: -(2n ** 70n), max: -(2n ** 63n) - 1n }),
      ),
      (n) => {
        checked++;
        const result = roundTrip(ChangeVersion, n.toString());
        return E.isLeft(result) && result.left.includes(`got ${n}`);
      },
    ),
    100,
  );
  assert.ok(checked > 0);
});

test.run();
