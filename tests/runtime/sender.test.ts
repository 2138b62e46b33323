import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HookInfo } from '../../src/model/hook.ts';
import { channel } from '../../src/runtime/channel.ts';
import { newAliveHookQueue, newDyingHookQueue } from '../../src/runtime/queue.ts';
import { newHookSender } from '../../src/runtime/sender.ts';
import { newListSource, newLiveHookSource } from '../../src/schedule/facade.ts';
import { changes, hook, state } from './fixtures.ts';
import { recording, right, testWatcher } from './support.ts';

const receiveAll = async (out: { receive(): Promise<IteratorResult<HookInfo>> }, n: number) => {
  const got: HookInfo[] = [];
  for (let i = 0; i < n; i++) {
    const r = await out.receive();
    if (r.done === true) break;
    got.push(r.value);
  }
  return got;
};

const live = (initial = state({})) => {
  const w = testWatcher();
  const rec = recording(right(newLiveHookSource(initial, w.watcher)));
  return { w, rec };
};

test('SENDER-ORDER: a list source is delivered in order, then the sender ends by itself', async () => {
  const hooks = [hook('relation-joined', 'a/0', 1), hook('relation-changed', 'a/0', 1)];
  const out = channel<HookInfo>();
  const rec = recording(newListSource(hooks));
  const sender = newHookSender(out, rec.source);
  assert.equal(await receiveAll(out, 2), hooks);
  assert.is(await sender.done, undefined);
  assert.is(rec.stops(), 1, 'source stopped exactly once');
  assert.is(await sender.stop(), undefined);
  assert.is(rec.stops(), 1, 'stop after the end does not stop the source again');
  assert.not.ok(out.closed, 'the output is never closed');
});

test('SENDER-DYING: the dying queue delivers the wind-down hooks and ends', async () => {
  const out = channel<HookInfo>();
  const queue = newDyingHookQueue(state({ 'b/1': 4, 'a/0': 2 }, 'b/1'), out);
  assert.equal(await receiveAll(out, 4), [
    hook('relation-changed', 'b/1', 4),
    hook('relation-departed', 'a/0', 2),
    hook('relation-departed', 'b/1', 4),
    hook('relation-broken'),
  ]);
  assert.is(await queue.done, undefined);
  assert.not.ok(out.closed);
});

test('SENDER-LIVE: watcher changes become hooks, delivered in order', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live(state({ 'a/0': 1 }));
  const sender = newHookSender(out, rec.source);
  await w.send(changes({ 'a/0': 2, 'b/0': 5 }));
  assert.equal(await receiveAll(out, 3), [
    hook('relation-changed', 'a/0', 2),
    hook('relation-joined', 'b/0', 5),
    hook('relation-changed', 'b/0', 5),
  ]);
  assert.is(await sender.stop(), undefined);
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1, 'the watcher is stopped exactly once');
  assert.not.ok(out.closed);
});

test('SENDER-CURRENT-HEAD: a change while nobody receives replaces the offered hook', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live();
  const sender = newHookSender(out, rec.source);
  await w.send(changes({ 'a/0': 1 }));
  await rec.logged(1);
  // joined a/0 is on offer; a/0 leaves before anyone took it: no hook for it at all.
  await w.send(changes({ 'b/0': 3 }, ['a/0']));
  await rec.logged(2);
  assert.equal(await receiveAll(out, 1), [hook('relation-joined', 'b/0', 3)]);
  await sender.stop();
  assert.equal(
    rec.log.map((o) => o.op),
    ['update', 'update', 'pop'],
  );
});

test('SENDER-STOP-OFFERING: stop while a hook is on offer withdraws it', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live();
  const sender = newHookSender(out, rec.source);
  await w.send(changes({ 'a/0': 1 }));
  await rec.logged(1);
  assert.is(await sender.stop(), undefined);
  // Nothing of the sender's is left on the channel: a receiver gets our sentinel.
  const sentinel = hook('relation-broken');
  out.offer(sentinel);
  assert.equal(await receiveAll(out, 1), [sentinel]);
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
  assert.equal(
    rec.log.map((o) => o.op),
    ['update'],
  );
});

test('SENDER-STOP-ONCE: stop is idempotent and stops the source exactly once', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live();
  const sender = newHookSender(out, rec.source);
  const [a, b] = await Promise.all([sender.stop(), sender.stop()]);
  assert.is(a, undefined);
  assert.is(b, undefined);
  assert.is(await sender.stop(), undefined);
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
});

test('SENDER-STOP-IN-UPDATE: stop asked while an update is being applied', async () => {
  const out = channel<HookInfo>();
  const w = testWatcher();
  let stopping: Promise<unknown> | undefined;
  const rec = recording(right(newLiveHookSource(state({}), w.watcher)), () => {
    stopping = sender.stop();
  });
  const sender = newHookSender(out, rec.source);
  await w.send(changes({ 'a/0': 1 }));
  assert.is(await sender.done, undefined);
  assert.is(await stopping, undefined);
  assert.equal(
    rec.log.map((o) => o.op),
    ['update'],
    'the update completes, then nothing else',
  );
  out.offer(hook('relation-broken'));
  assert.equal(await receiveAll(out, 1), [hook('relation-broken')], 'no hook was left on offer');
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
});

test('SENDER-WATCHER-ERROR: a watcher that ends with an error ends the sender with it', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live();
  const sender = newHookSender(out, rec.source);
  await w.send(changes({ 'a/0': 1 }));
  w.end('watcher failed: connection lost');
  const error = await sender.done;
  assert.equal(error, { _tag: 'WatcherFailed', message: 'watcher failed: connection lost' });
  assert.equal(await sender.stop(), error);
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
  assert.not.ok(out.closed);
});

test('SENDER-WATCHER-END: a watcher stream that ends without error', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live();
  const sender = newHookSender(out, rec.source);
  w.end();
  assert.equal(await sender.done, {
    _tag: 'ChangesEnded',
    message: 'hook source stopped providing updates',
  });
  assert.is(rec.stops(), 1);
});

test('SENDER-UPDATE-ERROR: an error from update ends the sender with that error', async () => {
  const out = channel<HookInfo>();
  const { w, rec } = live(state({ 'a/0': 1 }));
  const sender = newHookSender(out, rec.source);
  await w.send(changes({}, ['a/0']));
  assert.equal(await sender.done, {
    _tag: 'FirstChangeHasDepartures',
    message: 'hook source watcher sent bad event: first change departs "a/0"',
  });
  assert.equal(await sender.stop(), await sender.done);
  assert.is(rec.stops(), 1);
  assert.is(w.stops(), 1);
  assert.not.ok(out.closed);
});

test('SENDER-OUTPUT-CLOSED: the owner closing the output ends the sender', async () => {
  const out = channel<HookInfo>();
  const rec = recording(newListSource([hook('relation-broken')]));
  const sender = newHookSender(out, rec.source);
  out.close();
  assert.equal(await sender.done, { _tag: 'OutputClosed', message: 'send on closed channel' });
  assert.is(rec.stops(), 1);
});

test('SENDER-ALIVE-QUEUE: the alive queue refuses an invalid start and leaves the watcher alone', async () => {
  const out = channel<HookInfo>();
  const w = testWatcher();
  const bad = newAliveHookQueue(state({}, 'a/0'), out, w.watcher);
  assert.ok(E.isLeft(bad));
  if (E.isLeft(bad)) assert.is(bad.left._tag, 'PendingUnitNotMember');
  assert.is(w.stops(), 0);
  const queue = right(newAliveHookQueue(state({}), out, w.watcher));
  await w.send(changes({ 'a/0': 3 }));
  assert.equal(await receiveAll(out, 1), [hook('relation-joined', 'a/0', 3)]);
  assert.is(await queue.stop(), undefined);
  assert.is(w.stops(), 1);
});

test.run();
