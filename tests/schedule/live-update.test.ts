import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveUpdate } from '../../src/schedule/live.ts';
import { ch, drain, feed, leftMessage, live, peek, st } from './helpers.ts';

// How a change after the snapshot moves units through the queue.

// a/0 and b/0 joined at version 1, nothing queued.
const settled = () => live(st({ 'a/0': 1, 'b/0': 1 }), ch({ 'a/0': 1, 'b/0': 1 }));

test('R-LIVE-SORTED: changed units are processed in bytewise name order', () => {
  const s = live(
    st({}),
    ch([
      ['a/2', 1],
      ['a/10', 1],
      ['b/0', 1],
      ['a/0', 1],
      ['a-b/0', 1],
    ]),
  );
  assert.equal(
    drain(s).filter((h) => h.startsWith('joined')),
    ['joined a-b/0 1', 'joined a/0 1', 'joined a/10 1', 'joined a/2 1', 'joined b/0 1'],
  );
});

test('R-LIVE-SORTED: order of relation-changed within one later change', () => {
  const s = feed(
    settled(),
    ch([
      ['b/0', 2],
      ['a/0', 2],
    ]),
  );
  assert.equal(drain(s), ['changed a/0 2', 'changed b/0 2']);
});

test('R-LIVE-NEW-UNIT-JOINS: an unknown unit queues relation-joined at the tail', () => {
  const s = feed(settled(), ch({ 'b/0': 2 }), ch({ 'c/0': 4 }));
  assert.equal(drain(s), ['changed b/0 2', 'joined c/0 4', 'changed c/0 4']);
  const u = feed(settled(), ch({ 'c/0': 4 })).units.get('c/0' as never);
  assert.equal(u && [u.joined, u.pending, u.version], [false, 'relation-joined', 4n]);
});

test('R-LIVE-JOINED-PENDING-VERSION-ONLY: a unit waiting to join only takes the new version', () => {
  const s = live(st({}), ch({ 'a/0': 1, 'b/0': 1 }));
  assert.equal(drain(feed(s, ch({ 'a/0': 5 }))), [
    'joined a/0 5',
    'changed a/0 5',
    'joined b/0 1',
    'changed b/0 1',
  ]);
  // Equal version: it stays queued to join (the equal-version rule does not apply).
  assert.equal(drain(feed(s, ch({ 'b/0': 1 }))), [
    'joined a/0 1',
    'changed a/0 1',
    'joined b/0 1',
    'changed b/0 1',
  ]);
});

test('R-LIVE-CHANGED-QUEUE: a new version queues relation-changed at the tail', () => {
  assert.equal(drain(feed(settled(), ch({ 'b/0': 2 }), ch({ 'a/0': 2 }))), [
    'changed b/0 2',
    'changed a/0 2',
  ]);
});

test('R-LIVE-CHANGED-QUEUE: a new version replaces a pending relation-departed', () => {
  assert.equal(drain(feed(settled(), ch({}, ['a/0']), ch({ 'a/0': 2 }))), ['changed a/0 2']);
});

test('R-LIVE-QUEUE-KEEPS-PLACE: replacing the pending kind keeps the queue position', () => {
  const queued = feed(settled(), ch({ 'a/0': 2 }), ch({ 'b/0': 2 }));
  assert.equal(drain(feed(queued, ch({ 'a/0': 3 }))), ['changed a/0 3', 'changed b/0 2']);
  assert.equal(drain(feed(queued, ch({}, ['a/0']))), ['departed a/0 2', 'changed b/0 2']);
  const departing = feed(settled(), ch({}, ['a/0']), ch({ 'b/0': 2 }));
  assert.equal(drain(feed(departing, ch({ 'a/0': 2 }))), ['changed a/0 2', 'changed b/0 2']);
});

test('R-LIVE-REQUEUE-TAIL: a unit taken out of the queue goes to the tail when queued again', () => {
  const queued = feed(settled(), ch({ 'a/0': 2 }), ch({ 'b/0': 2 }));
  const requeued = feed(queued, ch({ 'a/0': 2 }), ch({ 'a/0': 3 }));
  assert.equal(drain(requeued), ['changed b/0 2', 'changed a/0 3']);
});

test('R-LIVE-EQUAL-VERSION: the latest version again takes the unit out of the queue', () => {
  assert.equal(drain(feed(settled(), ch({ 'a/0': 2 }), ch({ 'a/0': 2 }))), []);
  assert.equal(drain(feed(settled(), ch({}, ['a/0']), ch({ 'a/0': 1 }))), []);
  assert.equal(drain(feed(settled(), ch({ 'a/0': 1 }))), []);
  // Only that unit leaves the queue.
  const both = feed(settled(), ch({ 'a/0': 2, 'b/0': 2 }));
  assert.equal(drain(feed(both, ch({ 'a/0': 2 }))), ['changed b/0 2']);
});

test('R-LIVE-VERSION-LATEST: the latest seen version is the reference, even when lower', () => {
  assert.equal(drain(live(st({ 'a/0': 5 }), ch({ 'a/0': 3 }))), ['changed a/0 3']);
  // After 3 is seen, 5 is a change again and 3 is not.
  const s = live(st({ 'a/0': 5 }), ch({ 'a/0': 3 }));
  assert.equal(drain(feed(s, ch({ 'a/0': 5 }))), ['changed a/0 5']);
  assert.equal(drain(feed(s, ch({ 'a/0': 3 }))), []);
  // The version also moves when the unit leaves the queue on an equal version.
  const t = feed(settled(), ch({ 'a/0': 2 }), ch({ 'a/0': 2 }), ch({ 'a/0': 7 }));
  assert.equal(drain(t), ['changed a/0 7']);
});

test('R-LIVE-VERSION-LATEST: the whole int64 range is kept exactly', () => {
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  const s = feed(settled(), ch({ 'a/0': max - 1n }), ch({ 'a/0': max }), ch({ 'b/0': min }));
  assert.equal(drain(s), [`changed a/0 ${max}`, `changed b/0 ${min}`]);
  assert.equal(drain(feed(s, ch({ 'a/0': max }))), [`changed b/0 ${min}`]);
});

test('R-LIVE-DEPART-ORDER: departures follow the changed units, in the order given', () => {
  const three = live(st({ 'a/0': 1, 'b/0': 1, 'c/0': 1 }), ch({ 'a/0': 1, 'b/0': 1, 'c/0': 1 }));
  assert.equal(drain(feed(three, ch({}, ['c/0', 'a/0', 'b/0']))), [
    'departed c/0 1',
    'departed a/0 1',
    'departed b/0 1',
  ]);
  assert.equal(drain(feed(three, ch({ 'd/0': 1 }, ['a/0']))), [
    'joined d/0 1',
    'changed d/0 1',
    'departed a/0 1',
  ]);
  // Changed then departed in one change: the departure wins, with the new version.
  assert.equal(drain(feed(three, ch({ 'a/0': 2 }, ['a/0']))), ['departed a/0 2']);
});

test('R-LIVE-DEPART-QUEUED-JOINED: leaving before joining produces no hook at all', () => {
  const s = live(st({}), ch({ 'a/0': 1, 'b/0': 1 }));
  assert.equal(drain(feed(s, ch({}, ['a/0']))), ['joined b/0 1', 'changed b/0 1']);
  const gone = feed(live(st({}), ch({ 'a/0': 1 })), ch({}, ['a/0']));
  assert.equal(drain(gone), []);
  assert.is(peek(gone), 'none');
  // It stays known: departing again is no unknown departure.
  assert.ok(liveUpdate(gone, ch({}, ['a/0']))._tag === 'Right');
});

test('R-LIVE-DEPART: a joined unit queues relation-departed with its latest version', () => {
  const s = feed(settled(), ch({ 'b/0': 2 }), ch({}, ['a/0']));
  assert.equal(drain(s), ['changed b/0 2', 'departed a/0 1']);
  const t = feed(settled(), ch({ 'a/0': 3 }), ch({ 'b/0': 2 }), ch({}, ['a/0']));
  assert.equal(drain(t), ['departed a/0 3', 'changed b/0 2']);
});

test('R-LIVE-UNKNOWN-DEPARTURE: departing a unit never seen fails and applies nothing', () => {
  const s = settled();
  assert.is(
    leftMessage(liveUpdate(s, ch({ 'c/0': 1 }, ['a/0', 'z/9']))),
    'hook source watcher sent bad event: departure of unknown unit "z/9"',
  );
  assert.equal(drain(s), []);
  assert.is(
    leftMessage(liveUpdate(live(st({}), ch()), ch({}, ['x-y/12']))),
    'hook source watcher sent bad event: departure of unknown unit "x-y/12"',
  );
});

test.run();
