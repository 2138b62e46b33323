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

test('R-VALIDATE-BROKEN-WITH-MEMBERS: broken needs no members, even before changedPending', () => {
  refused(
    state({ 'foo/1': 1 }, 'foo/1'),
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
});

test('R-VALIDATE-MEMBERSHIP: joined for members, others for non-members', () => {
  const s = state({ 'foo/1': 1 });
  refused(s, joined(foo1), 'inappropriate "relation-joined" for "foo/1": unit already joined');
  refused(s, changed(foo2), 'inappropriate "relation-changed" for "foo/2": unit has not joined');
  refused(s, departed(foo2), 'inappropriate "relation-departed" for "foo/2": unit has not joined');
  accepted(s, joined(foo2));
  accepted(s, changed(foo1));
  accepted(s, departed(foo1));
});

test.run();
