import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newDyingHookSource, newListSource, newLiveHookSource } from '../../src/schedule/facade.ts';
import { changes, hook, state } from './fixtures.ts';
import { quiesce, right, testWatcher } from './support.ts';

const EMPTY = E.left({ _tag: 'EmptySource', message: 'HookSource is empty' });

test('FACADE-EMPTY: next and pop on an empty source are errors, not panics', () => {
  const source = newListSource([]);
  assert.ok(source.empty());
  assert.equal(source.next(), EMPTY);
  assert.equal(source.pop(), EMPTY);
});

test('FACADE-LIST: yields the hooks in order and refuses updates', () => {
  const source = newListSource([hook('relation-joined', 'a/0', 1), hook('relation-broken')]);
  assert.not.ok(source.hasChanges);
  assert.equal(
    source.update(changes({ 'a/0': 1 })),
    E.left({ _tag: 'UpdatesRefused', message: 'HookSource does not accept updates' }),
  );
  assert.equal(source.next(), E.right(hook('relation-joined', 'a/0', 1)));
  assert.ok(E.isRight(source.pop()));
  assert.equal(source.next(), E.right(hook('relation-broken')));
  assert.ok(E.isRight(source.pop()));
  assert.ok(source.empty());
});

test('FACADE-NO-CHANGES: a list source stream yields nothing and ends only at stop', async () => {
  const source = newDyingHookSource(state({ 'a/0': 1 }));
  const it = source.changes()[Symbol.asyncIterator]();
  let result: IteratorResult<unknown> | undefined;
  it.next().then((r) => {
    result = r;
  });
  await quiesce();
  assert.is(result, undefined);
  assert.is(await source.stop(), undefined);
  await quiesce();
  assert.equal(result, { done: true, value: undefined });
});

test('FACADE-LIVE: updates invalidate next; the live source is empty before its first change', () => {
  const w = testWatcher();
  const source = right(newLiveHookSource(state({}), w.watcher));
  assert.ok(source.hasChanges);
  assert.ok(source.empty());
  assert.ok(E.isRight(source.update(changes({ 'a/0': 4 }))));
  assert.equal(source.next(), E.right(hook('relation-joined', 'a/0', 4)));
  assert.ok(E.isRight(source.pop()));
  assert.equal(source.next(), E.right(hook('relation-changed', 'a/0', 4)));
});

test('FACADE-LIVE-ERROR: a failed update leaves the schedule unchanged', () => {
  const w = testWatcher();
  const source = right(newLiveHookSource(state({ 'a/0': 1 }), w.watcher));
  assert.ok(E.isRight(source.update(changes({ 'a/0': 2 }))));
  assert.equal(
    source.update(changes({}, ['b/0'])),
    E.left({
      _tag: 'UnknownDeparture',
      message: 'hook source watcher sent bad event: departure of unknown unit "b/0"',
    }),
  );
  assert.equal(source.next(), E.right(hook('relation-changed', 'a/0', 2)));
});

test('FACADE-STOP-ONCE: stop stops the watcher once and reports its error', async () => {
  const w = testWatcher();
  const source = right(newLiveHookSource(state({}), w.watcher));
  w.end('watcher failed: boom');
  const first = source.stop();
  assert.is(source.stop(), first, 'the same promise');
  assert.equal(await first, { _tag: 'WatcherFailed', message: 'watcher failed: boom' });
  assert.is(w.stops(), 1);
});

test('FACADE-INVALID-START: a pending unit that is not a member is refused', () => {
  const w = testWatcher();
  const bad = newLiveHookSource(state({}, 'a/0'), w.watcher);
  assert.ok(E.isLeft(bad));
  if (E.isLeft(bad)) assert.is(bad.left._tag, 'PendingUnitNotMember');
});

test.run();
