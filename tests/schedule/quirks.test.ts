import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveNext, liveUpdate } from '../../src/schedule/live.ts';
import { validate } from '../../src/state/validate.ts';
import { ch, drain, feed, leftMessage, live, st } from './helpers.ts';

// The known quirks of the 2015 algorithm: each needs a broken watcher
// assumption, and each is reproduced on purpose.

test('Q-UNKNOWN-DEPARTURE-ERROR: a departure of a never-seen unit is an error, not a crash', () => {
  const fresh = live(st({}), ch());
  const result = liveUpdate(fresh, ch({}, ['ghost/0']));
  assert.ok(E.isLeft(result) && result.left._tag === 'UnknownDeparture');
  assert.is(
    leftMessage(result),
    'hook source watcher sent bad event: departure of unknown unit "ghost/0"',
  );
});

test('Q-DEPART-BEFORE-JOIN-REAPPEAR: reappearing with a new version queues a changed Validate refuses', () => {
  const left = feed(live(st({}), ch({ 'a/0': 1 })), ch({}, ['a/0']));
  const back = feed(left, ch({ 'a/0': 2 }));
  assert.equal(drain(back), ['changed a/0 2']);
  const hook = liveNext(back);
  assert.ok(O.isSome(hook));
  if (O.isSome(hook)) {
    // The local state never saw a/0 join.
    const refused = validate(st({}), hook.value);
    assert.ok(E.isLeft(refused));
    if (E.isLeft(refused)) {
      assert.is(
        refused.left.message,
        'inappropriate "relation-changed" for "a/0": unit has not joined',
      );
    }
  }
});

test('Q-DEPART-BEFORE-JOIN-REAPPEAR-SAME: reappearing with the same version never joins', () => {
  const left = feed(live(st({}), ch({ 'a/0': 1 })), ch({}, ['a/0']));
  assert.equal(drain(feed(left, ch({ 'a/0': 1 }))), []);
  assert.equal(drain(feed(left, ch({ 'a/0': 1 }), ch({ 'a/0': 1 }))), []);
});

test('Q-EQUAL-VERSION-DROPS-CHANGED: a repeated version drops an undelivered relation-changed', () => {
  const settled = live(st({ 'a/0': 1 }), ch({ 'a/0': 1 }));
  const pending = feed(settled, ch({ 'a/0': 2 }));
  assert.equal(drain(pending), ['changed a/0 2']);
  // The watcher repeats version 2: the local view stays at version 1.
  assert.equal(drain(feed(pending, ch({ 'a/0': 2 }))), []);
});

test('Q-EQUAL-VERSION-DROPS-DEPARTED: a repeated version drops an undelivered relation-departed', () => {
  const departing = feed(live(st({ 'a/0': 1 }), ch({ 'a/0': 1 })), ch({}, ['a/0']));
  assert.equal(drain(departing), ['departed a/0 1']);
  assert.equal(drain(feed(departing, ch({ 'a/0': 1 }))), []);
});

test.run();
