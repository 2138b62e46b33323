import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { brokenHook, changeVersion, unitHook, unitName } from '../../src/model/index.ts';
import { listEmpty, listPop, listSource, listUpdate } from '../../src/schedule/list.ts';
import { drain, leftMessage, peek, popN, R, right } from './helpers.ts';

const hooks = [
  unitHook('relation-changed', R, unitName('b/0'), changeVersion(2)),
  unitHook('relation-joined', R, unitName('a/0'), changeVersion(1)),
  unitHook('relation-changed', R, unitName('b/0'), changeVersion(2)),
  brokenHook(R),
];

test('R-LIST-ORDER: the given hooks in order, repeats included, then empty', () => {
  const s = listSource(hooks);
  assert.equal(drain(s), ['changed b/0 2', 'joined a/0 1', 'changed b/0 2', 'broken']);
  assert.is(listEmpty(s), false);
  assert.is(listEmpty(popN(s, 4)), true);
  assert.is(listEmpty(listSource([])), true);
});

test('R-LIST-NO-UPDATES: update is refused with Go text and the source is unchanged', () => {
  const s = popN(listSource(hooks), 1);
  const refused = listUpdate(s);
  assert.ok(E.isLeft(refused) && refused.left._tag === 'UpdatesRefused');
  assert.is(leftMessage(refused), 'HookSource does not accept updates');
  assert.is(peek(s), 'joined a/0 1');
});

test('R-SOURCE-EMPTY-MISUSE: next is none and pop an error on an empty list source', () => {
  for (const s of [listSource([]), popN(listSource(hooks), 4)]) {
    assert.is(peek(s), 'none');
    const popped = listPop(s);
    assert.ok(E.isLeft(popped) && popped.left._tag === 'EmptySource');
    assert.is(leftMessage(popped), 'HookSource is empty');
  }
});

test('R-SOURCE-PURE: popping a list source leaves the original at its head', () => {
  const s = listSource(hooks);
  right(listPop(s));
  assert.is(peek(s), 'changed b/0 2');
  assert.is(s.position, 0);
});

test.run();
