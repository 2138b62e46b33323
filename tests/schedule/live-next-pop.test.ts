import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveEmpty, livePop, liveUpdate } from '../../src/schedule/live.ts';
import { ch, drain, feed, leftMessage, live, peek, popN, right, st } from './helpers.ts';

// What the live source shows and how popping moves it on.

test('R-LIVE-EMPTY: empty iff nothing is queued and no relation-changed is owed', () => {
  assert.is(liveEmpty(live(st({ 'a/0': 1 }), ch({ 'a/0': 1 }))), true);
  assert.is(liveEmpty(live(st({ 'a/0': 1 }), ch({ 'a/0': 2 }))), false);
  // Only the owed relation-changed: queue empty, source not.
  const owed = live(st({ 'a/0': 1 }, 'a/0'), ch({ 'a/0': 1 }));
  assert.is(owed.queue.size, 0);
  assert.is(liveEmpty(owed), false);
  assert.is(liveEmpty(popN(owed, 1)), true);
});

test('R-LIVE-NEXT-PENDING-FIRST: the owed relation-changed comes before the queue', () => {
  const s = live(st({ 'b/0': 1 }, 'b/0'), ch({ 'a/0': 1, 'b/0': 1 }));
  assert.is(peek(s), 'changed b/0 1');
  assert.equal(drain(s), ['changed b/0 1', 'joined a/0 1', 'changed a/0 1']);
});

test('R-LIVE-NEXT-HEAD: otherwise the head unit with its pending kind', () => {
  const s = live(st({ 'a/0': 1, 'b/0': 1 }), ch({ 'b/0': 1, 'c/0': 1 }));
  assert.is(peek(s), 'departed a/0 1');
  assert.is(peek(popN(s, 1)), 'joined c/0 1');
  assert.is(peek(popN(s, 2)), 'changed c/0 1');
});

test('R-LIVE-NEXT-LATEST-VERSION: every hook carries the latest seen version', () => {
  // The owed relation-changed: the stored version is 1, the watcher says 4.
  const owed = live(st({ 'a/0': 1 }, 'a/0'), ch({ 'a/0': 4 }));
  assert.is(peek(owed), 'changed a/0 4');
  // A joined hook shown, then the unit changes before it is popped.
  const s = live(st({}), ch({ 'a/0': 1 }));
  assert.is(peek(s), 'joined a/0 1');
  const later = feed(s, ch({ 'a/0': 7 }));
  assert.is(peek(later), 'joined a/0 7');
  assert.is(peek(popN(later, 1)), 'changed a/0 7');
  // The owed relation-changed after its joined, then a new version.
  assert.is(peek(feed(popN(s, 1), ch({ 'a/0': 9 }))), 'changed a/0 9');
});

test('R-LIVE-POP-PENDING-CHANGED: the owed relation-changed absorbs a queued relation-changed', () => {
  const owed = live(st({ 'a/0': 1 }, 'a/0'), ch({ 'a/0': 4 }));
  assert.is(owed.queue.size, 1);
  const popped = popN(owed, 1);
  assert.is(popped.changedPending, '');
  assert.is(popped.queue.size, 0);
  assert.equal(drain(owed), ['changed a/0 4']);
  // The same after a joined: its owed changed absorbs a change that came in between.
  const joined = popN(live(st({}), ch({ 'a/0': 1 })), 1);
  assert.equal(drain(feed(joined, ch({ 'a/0': 2 }))), ['changed a/0 2']);
});

test('R-LIVE-POP-PENDING-CHANGED: a queued relation-departed stays after the owed changed', () => {
  const s = live(st({ 'a/0': 1 }, 'a/0'), ch());
  assert.equal(drain(s), ['changed a/0 1', 'departed a/0 1']);
  // Another unit's queued relation-changed stays too.
  const t = live(st({ 'a/0': 1, 'b/0': 1 }, 'a/0'), ch({ 'a/0': 1, 'b/0': 2 }));
  assert.equal(drain(t), ['changed a/0 1', 'changed b/0 2']);
});

test('R-LIVE-POP-HEAD: pop removes the head of the queue', () => {
  const s = live(st({ 'a/0': 1, 'b/0': 1 }), ch({ 'a/0': 2, 'b/0': 3 }));
  const popped = popN(s, 1);
  assert.is(peek(popped), 'changed b/0 3');
  assert.is(popped.queue.size, 1);
  assert.is(liveEmpty(popN(s, 2)), true);
});

test('R-LIVE-POP-JOINED: popping relation-joined owes relation-changed and marks the unit joined', () => {
  const s = live(st({}), ch({ 'a/0': 1, 'b/0': 1 }));
  const popped = popN(s, 1);
  assert.is(popped.changedPending, 'a/0');
  assert.is(popped.units.get(popped.changedPending as never)?.joined, true);
  assert.is(peek(popped), 'changed a/0 1');
  // Once joined, a departure is a relation-departed, not a silent removal.
  assert.equal(drain(feed(popped, ch({}, ['a/0']))), [
    'changed a/0 1',
    'joined b/0 1',
    'changed b/0 1',
    'departed a/0 1',
  ]);
});

test('R-LIVE-POP-DEPARTED-FORGETS: popping relation-departed forgets the unit', () => {
  const gone = popN(live(st({ 'a/0': 3 }), ch()), 1);
  assert.is(gone.units.size, 0);
  assert.equal(drain(feed(gone, ch({ 'a/0': 3 }))), ['joined a/0 3', 'changed a/0 3']);
  assert.is(
    leftMessage(liveUpdate(gone, ch({}, ['a/0']))),
    'hook source watcher sent bad event: departure of unknown unit "a/0"',
  );
});

test('R-SOURCE-EMPTY-MISUSE: next is none and pop an error on an empty live source', () => {
  const s = popN(live(st({ 'a/0': 1 }), ch({ 'a/0': 2 })), 1);
  assert.is(peek(s), 'none');
  assert.is(leftMessage(livePop(s)), 'HookSource is empty');
  const e = livePop(s);
  assert.ok(E.isLeft(e) && e.left._tag === 'EmptySource');
});

test('R-SOURCE-PURE: live operations leave the value they were given unchanged', () => {
  const s = live(st({ 'a/0': 1 }), ch({ 'a/0': 2, 'b/0': 1 }));
  const before = drain(s);
  const updated = feed(s, ch({ 'c/0': 1 }, ['a/0']));
  right(livePop(s));
  right(livePop(popN(s, 1)));
  assert.ok(E.isLeft(liveUpdate(s, ch({}, ['q/0']))));
  assert.equal(drain(s), before);
  assert.equal(drain(updated), [
    'departed a/0 2',
    'joined b/0 1',
    'changed b/0 1',
    'joined c/0 1',
    'changed c/0 1',
  ]);
});

test.run();
