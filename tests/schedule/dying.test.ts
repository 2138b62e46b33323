import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dyingHooks, dyingSource } from '../../src/schedule/dying.ts';
import { listPop, listUpdate } from '../../src/schedule/list.ts';
import { drain, leftMessage, peek, popN, st } from './helpers.ts';

test('R-DYING-ORDER: owed changed, then departures in sorted name order, then broken', () => {
  const members = { 'c/0': 3, 'a/2': 2, 'a/10': 10, 'a-b/0': 7 };
  assert.equal(drain(dyingSource(st(members, 'a/2'))), [
    'changed a/2 2',
    'departed a-b/0 7',
    'departed a/10 10',
    'departed a/2 2',
    'departed c/0 3',
    'broken',
  ]);
  assert.equal(drain(dyingSource(st(members))), [
    'departed a-b/0 7',
    'departed a/10 10',
    'departed a/2 2',
    'departed c/0 3',
    'broken',
  ]);
  assert.equal(drain(dyingSource(st({}))), ['broken']);
  const hooks = dyingHooks(st({ 'a/0': 1 }));
  assert.equal(
    hooks.map((h) => h.relationId),
    [7, 7],
  );
  assert.equal(hooks[1], {
    kind: 'relation-broken',
    relationId: 7,
    remoteUnit: '',
    changeVersion: 0n,
  });
});

test('R-DYING-PENDING-NOT-MEMBER: an owed changed for a non-member carries version 0', () => {
  assert.equal(drain(dyingSource(st({ 'b/0': 4 }, 'a/0'))), [
    'changed a/0 0',
    'departed b/0 4',
    'broken',
  ]);
});

test('R-DYING-NULL-MEMBERS: a broken state dies with relation-broken only', () => {
  assert.equal(drain(dyingSource(st(null))), ['broken']);
  assert.equal(drain(dyingSource(st(null, 'a/0'))), ['changed a/0 0', 'broken']);
});

test('R-DYING-NO-UPDATES: the dying source refuses updates and stays as it was', () => {
  const s = dyingSource(st({ 'a/0': 1 }));
  const refused = listUpdate(s);
  assert.ok(E.isLeft(refused) && refused.left._tag === 'UpdatesRefused');
  assert.is(leftMessage(refused), 'HookSource does not accept updates');
  assert.is(peek(s), 'departed a/0 1');
});

test('R-SOURCE-EMPTY-MISUSE: next is none and pop an error on an exhausted dying source', () => {
  const done = popN(dyingSource(st({ 'a/0': 1 })), 2);
  assert.is(peek(done), 'none');
  assert.is(leftMessage(listPop(done)), 'HookSource is empty');
});

test.run();
