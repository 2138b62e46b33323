import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ChangeVersion,
  decodeWith,
  HookInfo,
  parseJson,
  RelationId,
  RelationUnitsChange,
  State,
  stringifyJson,
} from '../../src/model/index.ts';

// Decoding outside input: what is accepted, and the exact problem lines of
// what is not (field path, expectation, bad value).

const problems = (codec: t.Mixed, text: string): readonly string[] => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) return [`syntax: ${parsed.left.message}`];
  const decoded = decodeWith(codec)(parsed.right);
  return E.isLeft(decoded) ? decoded.left.problems : [];
};

const roundTrip = (codec: t.Mixed, text: string): string => {
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) return `syntax: ${parsed.left.message}`;
  const decoded = decodeWith(codec)(parsed.right);
  return E.isLeft(decoded) ? decoded.left.message : stringifyJson(codec.encode(decoded.right));
};

test('State: a full example round trips, members sorted on the way out', () => {
  assert.is(
    roundTrip(
      State,
      '{"relationId":7,"members":{"u/1":9223372036854775807,"u/0":3},"changedPending":"u/0"}',
    ),
    '{"relationId":7,"members":{"u/0":3,"u/1":9223372036854775807},"changedPending":"u/0"}',
  );
  assert.is(
    roundTrip(State, '{"relationId":7,"members":null,"changedPending":""}'),
    '{"relationId":7,"members":null,"changedPending":""}',
  );
});

test('State: problems name the path and the value', () => {
  assert.equal(
    problems(State, '{"relationId":7,"members":{"Foo/1":1,"a/0":"x"},"changedPending":"-a/0"}'),
    [
      'members["Foo/1"]: expected UnitName, got "Foo/1"',
      'members["a/0"]: expected an int64 integer, got "x"',
      'changedPending: expected "" or UnitName, got "-a/0"',
    ],
  );
  assert.equal(problems(State, '{"members":{}}'), [
    'relationId: expected an integer relation id, but it is missing',
    'changedPending: expected "" or UnitName, but it is missing',
  ]);
});

test('an empty property name stays in the path', () => {
  assert.equal(problems(State, '{"relationId":7,"members":{"":1},"changedPending":""}'), [
    'members[""]: expected UnitName, got ""',
  ]);
  assert.equal(problems(RelationUnitsChange, '{"changed":{"":{"version":1}}}'), [
    'changed[""]: expected UnitName, got ""',
  ]);
});

test('RelationUnitsChange: absent fields are empty; problems carry their path', () => {
  assert.is(roundTrip(RelationUnitsChange, '{}'), '{"changed":{},"departed":[]}');
  assert.equal(
    problems(RelationUnitsChange, '{"changed":{"a/1":{"version":"1"}},"departed":["a/1","B/1"]}'),
    [
      'changed["a/1"].version: expected an int64 integer, got "1"',
      'departed[1]: expected UnitName, got "B/1"',
    ],
  );
  assert.equal(problems(RelationUnitsChange, '[]'), [
    '(root): expected RelationUnitsChange, got []',
  ]);
});

test('HookInfo: broken carries "" and version 0; unit hooks carry a unit', () => {
  assert.is(
    roundTrip(
      HookInfo,
      '{"kind":"relation-broken","relationId":1,"remoteUnit":"","changeVersion":0}',
    ),
    '{"kind":"relation-broken","relationId":1,"remoteUnit":"","changeVersion":0}',
  );
  assert.equal(
    problems(
      HookInfo,
      '{"kind":"relation-broken","relationId":1,"remoteUnit":"a/0","changeVersion":1}',
    ),
    ['remoteUnit: expected "", got "a/0"', 'changeVersion: expected ZeroVersion, got 1'],
  );
  assert.equal(
    problems(
      HookInfo,
      '{"kind":"relation-joined","relationId":1,"remoteUnit":"","changeVersion":1}',
    ),
    ['remoteUnit: expected UnitName, got ""'],
  );
  assert.equal(problems(HookInfo, '{"kind":"relation-exploded"}'), [
    'kind: expected HookKind, got "relation-exploded"',
  ]);
});

test('ChangeVersion: the int64 range exactly, digits kept in the error', () => {
  assert.is(roundTrip(ChangeVersion, '-9223372036854775808'), '-9223372036854775808');
  assert.is(roundTrip(ChangeVersion, '9007199254740993'), '9007199254740993');
  assert.equal(problems(ChangeVersion, '9223372036854775808'), [
    '(root): expected an int64 integer, got 9223372036854775808',
  ]);
  assert.equal(problems(ChangeVersion, '1.5'), ['(root): expected an int64 integer, got 1.5']);
});

test('RelationId: a safe integer; bigger ones are refused, not rounded', () => {
  assert.is(roundTrip(RelationId, '-3'), '-3');
  assert.equal(problems(RelationId, '9007199254740993'), [
    '(root): expected an integer relation id, got 9007199254740993',
  ]);
});

test.run();
