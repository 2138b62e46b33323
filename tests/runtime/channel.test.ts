import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { channel } from '../../src/runtime/channel.ts';
import { wakeup } from '../../src/runtime/wakeup.ts';
import { quiesce } from './support.ts';

test('CHANNEL-RENDEZVOUS: an offer waits for a receiver, and is taken once', async () => {
  const ch = channel<number>();
  const offer = ch.offer(1);
  assert.is(offer.status(), 'pending');
  assert.equal(await ch.receive(), { done: false, value: 1 });
  assert.is(offer.status(), 'taken');
  assert.is(await offer.outcome, 'taken');
  assert.is(offer.withdraw(), 'taken', 'a taken value cannot be withdrawn');
});

test('CHANNEL-WAITING-RECEIVER: an offer to a waiting receiver is taken at once', async () => {
  const ch = channel<string>();
  const received = ch.receive();
  const offer = ch.offer('x');
  assert.is(offer.status(), 'taken');
  assert.equal(await received, { done: false, value: 'x' });
});

test('CHANNEL-WITHDRAW: a withdrawn value never reaches a receiver', async () => {
  const ch = channel<number>();
  const stale = ch.offer(1);
  assert.is(stale.withdraw(), 'withdrawn');
  assert.is(await stale.outcome, 'withdrawn');
  ch.offer(2);
  assert.equal(await ch.receive(), { done: false, value: 2 });
});

test('CHANNEL-FIFO: offers and receivers are matched in arrival order', async () => {
  const ch = channel<number>();
  ch.offer(1);
  ch.offer(2);
  assert.equal(await ch.receive(), { done: false, value: 1 });
  assert.equal(await ch.receive(), { done: false, value: 2 });
});

test('CHANNEL-CLOSE: close refuses offers and ends receives and iteration', async () => {
  const ch = channel<number>();
  const pending = ch.offer(1);
  ch.close();
  ch.close();
  assert.ok(ch.closed);
  assert.is(await pending.outcome, 'closed');
  assert.is(ch.offer(2).status(), 'closed');
  assert.is(await ch.send(3), false);
  assert.equal(await ch.receive(), { done: true, value: undefined });
  const seen: number[] = [];
  for await (const n of ch) seen.push(n);
  assert.equal(seen, []);
});

test('CHANNEL-ITERATE: for-await receives until close', async () => {
  const ch = channel<number>();
  const seen: number[] = [];
  const reading = (async () => {
    for await (const n of ch) seen.push(n);
  })();
  assert.ok(await ch.send(1));
  assert.ok(await ch.send(2));
  ch.close();
  await reading;
  assert.equal(seen, [1, 2]);
});

test('WAKEUP: a wake before wait is not lost; a wait without wake stays pending', async () => {
  const w = wakeup();
  w.wake();
  await w.wait();
  let woken = false;
  w.wait().then(() => {
    woken = true;
  });
  await quiesce();
  assert.not.ok(woken);
  w.wake();
  await quiesce();
  assert.ok(woken);
});

test.run();
