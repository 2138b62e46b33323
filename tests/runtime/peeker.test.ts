import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReceiveOnly } from '../../src/runtime/channel.ts';
import { newPeeker, type Peek } from '../../src/runtime/peeker.ts';
import { newListSource, newLiveHookSource } from '../../src/schedule/facade.ts';
import { changes, hook, state } from './fixtures.ts';
import { quiesce, recording, right, testWatcher } from './support.ts';

const nextPeek = async (peeks: ReceiveOnly<Peek>): Promise<Peek> => {
  const r = await peeks.receive();
  if (r.done === true) throw new Error('the peek stream ended');
  return r.value;
};

const live = (initial = state({})) => {
  const w = testWatcher();
  const rec = recording(right(newLiveHookSource(initial, w.watcher)));
  return { w, rec };
};

test('PEEKER-CONSUME: consume pops the head, and the next peek shows the new head', async () => {
  const rec = recording(
    newListSource([hook('relation-joined', 'a/0', 1), hook('relation-broken')]),
  );
  const peeker = newPeeker(rec.source);
  const first = await nextPeek(peeker.peeks());
  assert.equal(first.hookInfo, hook('relation-joined', 'a/0', 1));
  assert.ok(E.isRight(first.consume()));
  const second = await nextPeek(peeker.peeks());
  assert.equal(second.hookInfo, hook('relation-broken'));
  assert.ok(E.isRight(second.consume()));
  await rec.logged(2);
  assert.is(await peeker.stop(), undefined);
  assert.equal(
    rec.log.map((o) => o.op),
    ['pop', 'pop'],
  );
});

test('PEEKER-REJECT: reject leaves the head, and it is peeked again', async () => {
  const rec = recording(newListSource([hook('relation-joined', 'a/0', 1)]));
  const peeker = newPeeker(rec.source);
  const first = await nextPeek(peeker.peeks());
  assert.ok(E.isRight(first.reject()));
  const again = await nextPeek(peeker.peeks());
  assert.equal(again.hookInfo, first.hookInfo);
  assert.not.equal(again, first, 'a fresh peek');
  again.reject();
  await peeker.stop();
  assert.equal(rec.log, [], 'nothing was popped');
});

test('PEEKER-SETTLE-ONCE: a peek is settled once; a second verdict is refused', async () => {
  const peeker = newPeeker(newListSource([hook('relation-broken')]));
  const peek = await nextPeek(peeker.peeks());
  assert.ok(E.isRight(peek.consume()));
  assert.equal(
    peek.consume(),
    E.left({ _tag: 'PeekSettled', message: 'peek already consumed or rejected' }),
  );
  assert.equal(
    peek.reject(),
    E.left({ _tag: 'PeekSettled', message: 'peek already consumed or rejected' }),
  );
  await peeker.stop();
});

test('PEEKER-EMPTY: an empty source offers no peek; stop ends the stream', async () => {
  const rec = recording(newListSource([]));
  const peeker = newPeeker(rec.source);
  const pending = peeker.peeks().receive();
  assert.is(await peeker.stop(), undefined);
  assert.equal(await pending, { done: true, value: undefined }, 'the stream ended without a peek');
  assert.equal(await peeker.peeks().receive(), { done: true, value: undefined });
  assert.is(rec.stops(), 1);
});

test('PEEKER-EXHAUSTED: as in Go, an exhausted list source does not end the peeker', async () => {
  const rec = recording(newListSource([hook('relation-broken')]));
  const peeker = newPeeker(rec.source);
  right((await nextPeek(peeker.peeks())).consume());
  await rec.logged(1);
  const pending = peeker.peeks().receive();
  let ended = false;
  peeker.done.then(() => {
    ended = true;
  });
  // Let the peeker see the empty source: it must keep waiting for stop.
  await quiesce();
  assert.not.ok(ended);
  assert.is(rec.stops(), 0);
  await peeker.stop();
  assert.equal(await pending, { done: true, value: undefined });
});

test('PEEKER-HOLD: no watcher change is applied while a peek is out', async () => {
  const { w, rec } = live();
  const peeker = newPeeker(rec.source);
  await w.send(changes({ 'a/0': 1 }));
  const peek = await nextPeek(peeker.peeks());
  assert.equal(peek.hookInfo, hook('relation-joined', 'a/0', 1));
  // Received by the peeker while the peek is out: it waits for the verdict.
  await w.send(changes({ 'a/0': 2 }));
  await quiesce();
  assert.equal(
    rec.log.map((o) => o.op),
    ['update'],
    'the second change waits',
  );
  right(peek.consume());
  await rec.logged(3);
  assert.equal(
    rec.log.map((o) => o.op),
    ['update', 'pop', 'update'],
  );
  // joined ran, so relation-changed is owed, carrying the latest version.
  assert.equal((await nextPeek(peeker.peeks())).hookInfo, hook('relation-changed', 'a/0', 2));
  await peeker.stop();
});

test('PEEKER-CURRENT-HEAD: a change while nobody holds a peek renews it', async () => {
  const { w, rec } = live();
  const peeker = newPeeker(rec.source);
  await w.send(changes({ 'a/0': 1 }));
  await rec.logged(1);
  await w.send(changes({ 'b/0': 2 }, ['a/0']));
  await rec.logged(2);
  assert.equal((await nextPeek(peeker.peeks())).hookInfo, hook('relation-joined', 'b/0', 2));
  await peeker.stop();
});

test('PEEKER-STOP-PEEK-OUT: stop while a peek is out ends the stream and voids the peek', async () => {
  const { w, rec } = live();
  const peeker = newPeeker(rec.source);
  await w.send(changes({ 'a/0': 1 }));
  const peek = await nextPeek(peeker.peeks());
  assert.is(await peeker.stop(), undefined);
  assert.equal(
    peek.consume(),
    E.left({
      _tag: 'PeekerStopped',
      message: 'peeker stopped before the peek was consumed or rejected',
    }),
  );
  assert.equal(await peeker.peeks().receive(), { done: true, value: undefined });
  assert.equal(
    rec.log.map((o) => o.op),
    ['update'],
    'the voided peek popped nothing',
  );
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
});

test('PEEKER-CONSUME-THEN-STOP: a consume right before stop still pops', async () => {
  const rec = recording(newListSource([hook('relation-broken')]));
  const peeker = newPeeker(rec.source);
  const peek = await nextPeek(peeker.peeks());
  assert.ok(E.isRight(peek.consume()));
  const stopping = peeker.stop();
  assert.equal(
    rec.log.map((o) => o.op),
    ['pop'],
  );
  assert.is(await stopping, undefined);
});

test('PEEKER-STOP-ONCE: stop is idempotent and stops the source exactly once', async () => {
  const { w, rec } = live();
  const peeker = newPeeker(rec.source);
  const results = await Promise.all([peeker.stop(), peeker.stop(), peeker.stop()]);
  assert.equal(results, [undefined, undefined, undefined]);
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
});

test('PEEKER-STOP-IN-UPDATE: stop asked while an update is being applied', async () => {
  const w = testWatcher();
  let stopping: Promise<unknown> | undefined;
  const rec = recording(right(newLiveHookSource(state({}), w.watcher)), () => {
    stopping = peeker.stop();
  });
  const peeker = newPeeker(rec.source);
  const pending = peeker.peeks().receive();
  await w.send(changes({ 'a/0': 1 }));
  assert.is(await peeker.done, undefined);
  assert.is(await stopping, undefined);
  assert.equal(await pending, { done: true, value: undefined }, 'no peek after the stop');
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
});

test('PEEKER-WATCHER-ERROR: a failing watcher ends the peeker with its error', async () => {
  const { w, rec } = live();
  const peeker = newPeeker(rec.source);
  w.end('watcher failed: gone');
  assert.equal(await peeker.done, { _tag: 'WatcherFailed', message: 'watcher failed: gone' });
  assert.equal(await peeker.peeks().receive(), { done: true, value: undefined });
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
});

test('PEEKER-UPDATE-ERROR: an error from update ends the peeker with it', async () => {
  const { w, rec } = live(state({ 'a/0': 1 }));
  const peeker = newPeeker(rec.source);
  await w.send(changes({ 'a/0': 1 }));
  await w.send(changes({}, ['z/9']));
  assert.equal(await peeker.done, {
    _tag: 'UnknownDeparture',
    message: 'hook source watcher sent bad event: departure of unknown unit "z/9"',
  });
  assert.is(rec.stops(), 1);
});

test.run();
