import * as O from 'fp-ts/lib/Option.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveEmpty, liveNext, livePop, liveSource, liveUpdate } from '../../src/schedule/live.ts';
import { ch, drain, feed, leftMessage, live, right, st } from './helpers.ts';

// The live source before and at its first change (the watcher's snapshot).

test('R-LIVE-INITIAL-MEMBERS: stored members are joined, unqueued, with their versions', () => {
  assert.equal(drain(live(st({ 'a/0': 5 }), ch({ 'a/0': 5 }))), []);
  assert.equal(drain(live(st({ 'a/0': 5 }), ch({ 'a/0': 6 }))), ['changed a/0 6']);
  const s = right(liveSource(st({ 'a/0': 5, 'b/0': 2 })));
  assert.equal(
    s.units.toArray().map(([unit, e]) => [unit, e.version, e.joined, e.pending]),
    [
      ['a/0', 5n, true, null],
      ['b/0', 2n, true, null],
    ],
  );
  assert.is(s.queue.size, 0);
});

test('R-LIVE-INITIAL-MEMBERS: changedPending starts as the state says', () => {
  assert.equal(drain(live(st({ 'a/0': 5 }, 'a/0'), ch({ 'a/0': 5 }))), ['changed a/0 5']);
  assert.equal(drain(live(st({ 'a/0': 5 }), ch({ 'a/0': 5 }))), []);
});

test('R-LIVE-INITIAL-NULL: a broken state starts with no known unit', () => {
  assert.equal(drain(live(st(null), ch({ 'a/0': 1 }))), ['joined a/0 1', 'changed a/0 1']);
  assert.equal(drain(live(st(null), ch())), []);
});

test('R-LIVE-INITIAL-PENDING-NOT-MEMBER: liveSource refuses a pending unit that is no member', () => {
  assert.is(
    leftMessage(liveSource(st({ 'a/0': 1 }, 'b/0'))),
    'invalid initial state: changed-pending unit "b/0" is not a member',
  );
  assert.is(
    leftMessage(liveSource(st(null, 'b/0'))),
    'invalid initial state: changed-pending unit "b/0" is not a member',
  );
});

test('R-LIVE-EMPTY-BEFORE-FIRST: empty until the first change, even with changedPending', () => {
  const s = right(liveSource(st({ 'a/0': 1 }, 'a/0')));
  assert.is(liveEmpty(s), true);
  assert.ok(O.isNone(liveNext(s)));
  assert.is(leftMessage(livePop(s)), 'HookSource is empty');
  const started = feed(s, ch({ 'a/0': 1 }));
  assert.is(liveEmpty(started), false);
});

test('R-LIVE-FIRST-NO-DEPARTURES: a first change with departures fails and leaves the source unstarted', () => {
  const s = right(liveSource(st({ 'a/0': 1, 'c/0': 1 })));
  assert.is(
    leftMessage(liveUpdate(s, ch({ 'b/0': 1 }, ['c/0', 'a/0']))),
    'hook source watcher sent bad event: first change departs "c/0", "a/0"',
  );
  assert.is(
    leftMessage(liveUpdate(s, ch({}, ['a/0']))),
    'hook source watcher sent bad event: first change departs "a/0"',
  );
  // Also when no unit is known yet (no departure could be right).
  assert.is(
    leftMessage(liveUpdate(right(liveSource(st({}))), ch({}, ['a/0']))),
    'hook source watcher sent bad event: first change departs "a/0"',
  );
  // The source it was given is still waiting for its snapshot: the next
  // change is treated as the first (a/0 is absent, so it departs).
  assert.equal(drain(feed(s, ch({ 'c/0': 1 }))), ['departed a/0 1']);
  // Departures are fine from the second change on.
  assert.equal(drain(feed(s, ch({ 'a/0': 1, 'c/0': 1 }), ch({}, ['a/0']))), ['departed a/0 1']);
});

test('R-LIVE-FIRST-ABSENT-DEPART: absent known units depart before the snapshot is applied', () => {
  assert.equal(drain(live(st({ 'a/0': 1, 'c/0': 4 }), ch({ 'b/0': 2, 'c/0': 4 }))), [
    'departed a/0 1',
    'joined b/0 2',
    'changed b/0 2',
  ]);
  // Even a unit named after the new ones departs first.
  assert.equal(drain(live(st({ 'z/0': 1 }), ch({ 'a/0': 1 }))), [
    'departed z/0 1',
    'joined a/0 1',
    'changed a/0 1',
  ]);
});

test('R-LIVE-FIRST-ABSENT-DEPART: absent units depart in sorted name order', () => {
  const members: Record<string, number> = { 'c/0': 3, 'a/2': 2, 'a/10': 10, 'a-b/0': 0 };
  assert.equal(drain(live(st(members), ch())), [
    'departed a-b/0 0',
    'departed a/10 10',
    'departed a/2 2',
    'departed c/0 3',
  ]);
});

test('R-LIVE-FIRST-ABSENT-DEPART: only the first change departs absent units', () => {
  const s = live(st({ 'a/0': 1, 'b/0': 1 }), ch({ 'a/0': 1, 'b/0': 1 }), ch({ 'c/0': 1 }));
  assert.equal(drain(s), ['joined c/0 1', 'changed c/0 1']);
});

test.run();
