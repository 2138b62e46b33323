import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  brokenHook,
  changeVersion,
  type HookInfo,
  relationId,
  type State,
  unitHook,
  unitName,
  changeVersion as v,
} from '../../src/model/index.ts';
import { validate } from '../../src/state/validate.ts';

const R = relationId(123);
const foo1 = unitName('foo/1');
const foo2 = unitName('foo/2');
const state = (members: Record<string, number> | null, changedPending = ''): State => ({
  relationId: R,
  members:
    members === null
      ? null
      : new Map(Object.entries(members).map(([k, n]) => [unitName(k), changeVersion(n)])),
  changedPending: changedPending === '' ? '' : unitName(changedPending),
});
const joined = (unit = foo1, rel = R): HookInfo =>
  unitHook('relation-joined', rel, unit, changeVersion(1));
const changed = (unit = foo1): HookInfo => unitHook('relation-changed', R, unit, changeVersion(1));
const departed = (unit = foo1): HookInfo =>
  unitHook('relation-departed', R, unit, changeVersion(1));

const refused = (s: State, h: HookInfo, message: string) => {
  const result = validate(s, h);
  assert.ok(E.isLeft(result), `expected refusal: ${message}`);
  if (E.isLeft(result)) assert.is(result.left.message, message);
};
const accepted = (s: State, h: HookInfo) => assert.ok(E.isRight(validate(s, h)));

test('R-VALIDATE-RELATION: another relation id is refused first', () => {
  refused(
    state(null),
    joined(foo1, relationId(456)),
    'inappropriate "relation-joined" for "foo/1": expected relation 123, got relation 456',
  );
});

test('R-VALIDATE-BROKEN: a broken relation refuses everything', () => {
  refused(
    state(null),
    brokenHook(R),
    'inappropriate "relation-broken" for "": relation is broken and cannot be changed further',
  );
  refused(
    state(null),
    joined(),
    'inappropriate "relation-joined" for "foo/1": relation is broken and cannot be changed further',
  );
});

test('R-VALIDATE-BROKEN-HOOK: broken needs no members, even before changedPending', () => {
  refused(
    state({ 'foo/1': 1 }, 'foo/1'),
    brokenHook(R),
    'inappropriate "relation-broken" for "": cannot run "relation-broken" while units still present',
  );
  refused(
    state({ 'foo/1': 1, 'foo/2': 1 }),
    brokenHook(R),
    'inappropriate "relation-broken" for "": cannot run "relation-broken" while units still present',
  );
  accepted(state({}), brokenHook(R));
});

test('R-VALIDATE-PENDING: changedPending demands relation-changed for that unit', () => {
  const s = state({ 'foo/1': 1 }, 'foo/1');
  accepted(s, changed(foo1));
  refused(
    s,
    changed(foo2),
    'inappropriate "relation-changed" for "foo/2": expected "relation-changed" for "foo/1"',
  );
  refused(
    s,
    departed(foo1),
    'inappropriate "relation-departed" for "foo/1": expected "relation-changed" for "foo/1"',
  );
  refused(
    s,
    joined(foo2),
    'inappropriate "relation-joined" for "foo/2": expected "relation-changed" for "foo/1"',
  );
  // Even a hook that would be fine otherwise (departed for another member).
  refused(
    state({ 'foo/1': 1, 'foo/2': 1 }, 'foo/1'),
    departed(foo2),
    'inappropriate "relation-departed" for "foo/2": expected "relation-changed" for "foo/1"',
  );
});

test('R-VALIDATE-JOINED: relation-joined for a member is refused', () => {
  refused(
    state({ 'foo/1': 1 }),
    joined(foo1),
    'inappropriate "relation-joined" for "foo/1": unit already joined',
  );
});

test('R-VALIDATE-NOT-JOINED: changed or departed for a non-member is refused', () => {
  const s = state({ 'foo/1': 1 });
  refused(s, changed(foo2), 'inappropriate "relation-changed" for "foo/2": unit has not joined');
  refused(s, departed(foo2), 'inappropriate "relation-departed" for "foo/2": unit has not joined');
  refused(
    state({}),
    departed(foo1),
    'inappropriate "relation-departed" for "foo/1": unit has not joined',
  );
});

test('R-VALIDATE-ACCEPT: joined for a non-member, changed and departed for a member', () => {
  const s = state({ 'foo/1': 1 });
  accepted(s, joined(foo2));
  accepted(s, changed(foo1));
  accepted(s, departed(foo1));
  accepted(state({}), joined(foo1));
});

test('R-VALIDATE-ORDER: the first applicable check gives the message', () => {
  // relation before broken
  refused(
    state(null),
    brokenHook(relationId(9)),
    'inappropriate "relation-broken" for "": expected relation 123, got relation 9',
  );
  // broken before the broken-hook check
  refused(
    state(null, 'foo/1'),
    brokenHook(R),
    'inappropriate "relation-broken" for "": relation is broken and cannot be changed further',
  );
  // broken before changedPending
  refused(
    state(null, 'foo/1'),
    changed(foo1),
    'inappropriate "relation-changed" for "foo/1": relation is broken and cannot be changed further',
  );
  // changedPending before membership
  refused(
    state({ 'foo/1': 1 }, 'foo/1'),
    joined(foo1),
    'inappropriate "relation-joined" for "foo/1": expected "relation-changed" for "foo/1"',
  );
  refused(
    state({ 'foo/1': 1 }, 'foo/1'),
    changed(foo2),
    'inappropriate "relation-changed" for "foo/2": expected "relation-changed" for "foo/1"',
  );
  // relation before changedPending and membership
  refused(
    state({ 'foo/1': 1 }, 'foo/1'),
    joined(foo1, relationId(-1)),
    'inappropriate "relation-joined" for "foo/1": expected relation 123, got relation -1',
  );
});

test('R-VALIDATE-PREFIX: kind and unit quoted Go-style, "" for broken', () => {
  const result = validate(
    state({}, ''),
    unitHook('relation-changed', R, unitName('a-b2c/10'), v(1)),
  );
  assert.ok(E.isLeft(result));
  if (E.isLeft(result)) {
    assert.is(result.left.reason, 'unit has not joined');
    assert.is(
      result.left.message,
      'inappropriate "relation-changed" for "a-b2c/10": unit has not joined',
    );
    assert.is(result.left._tag, 'InappropriateHook');
  }
  const broken = validate(state({ 'foo/1': 1 }), brokenHook(R));
  assert.ok(
    E.isLeft(broken) && broken.left.message.startsWith('inappropriate "relation-broken" for "": '),
  );
});

test('R-VALIDATE-NO-VERSIONS: versions never change the answer', () => {
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  for (const version of [v(0), v(1), v(max), v(min)]) {
    const s = state({ 'foo/1': 5 });
    accepted(s, unitHook('relation-changed', R, foo1, version));
    accepted(s, unitHook('relation-departed', R, foo1, version));
    accepted(s, unitHook('relation-joined', R, foo2, version));
    refused(
      s,
      unitHook('relation-joined', R, foo1, version),
      'inappropriate "relation-joined" for "foo/1": unit already joined',
    );
    accepted(state({ 'foo/1': 5 }, 'foo/1'), unitHook('relation-changed', R, foo1, version));
  }
});

test.run();
