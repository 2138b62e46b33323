import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dyingSource } from '../../src/schedule/dying.ts';
import { listSource } from '../../src/schedule/list.ts';
import { liveSource } from '../../src/schedule/live.ts';
import { empty, hasChanges, next, pop, update } from '../../src/schedule/source.ts';
import { ch, drain, leftMessage, right, show, st } from './helpers.ts';

test('R-SOURCE-DISPATCH: the generic operations drive a live source', () => {
  const s = right(liveSource(st({ 'a/0': 1 })));
  assert.is(hasChanges(s), true);
  assert.is(empty(s), true);
  const started = right(update(s, ch({ 'a/0': 2 })));
  assert.is(empty(started), false);
  assert.equal(O.map(show)(next(started)), O.some('changed a/0 2'));
  assert.is(empty(right(pop(started))), true);
  assert.is(
    leftMessage(update(started, ch({}, ['z/0']))),
    'hook source watcher sent bad event: departure of unknown unit "z/0"',
  );
});

test('R-SOURCE-DISPATCH: the generic operations drive list and dying sources', () => {
  for (const s of [dyingSource(st({ 'a/0': 1 })), listSource([])]) {
    assert.is(hasChanges(s), false);
    assert.is(leftMessage(update(s, ch())), 'HookSource does not accept updates');
  }
  const d = dyingSource(st({ 'a/0': 1 }));
  assert.is(empty(d), false);
  assert.equal(drain(d), ['departed a/0 1', 'broken']);
  assert.is(empty(listSource([])), true);
});

test('R-SOURCE-EMPTY-MISUSE: generic next and pop on empty sources', () => {
  for (const s of [right(liveSource(st({}))), listSource([])]) {
    assert.ok(O.isNone(next(s)));
    const popped = pop(s);
    assert.ok(E.isLeft(popped));
    assert.is(leftMessage(popped), 'HookSource is empty');
  }
});

test.run();
