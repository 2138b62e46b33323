import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { floorSource } from '../../bench/floor.ts';
import { replayLive } from '../../bench/live.ts';
import { prng } from '../../bench/prng.ts';
import { pureEngine } from '../../src/schedule/engine.ts';
import { fastEngine } from '../../src/schedule/fast/engine.ts';

// The live stream as bench/README.md defines it: its test vectors, so that
// the document and the code cannot drift apart.

test('mulberry32 gives the documented first outputs', () => {
  const p = prng(20150312);
  assert.equal(
    [p.u32(), p.u32(), p.u32(), p.u32()],
    [3205988581, 2935633922, 3200641827, 3704654159],
  );
  const q = prng(20150312);
  assert.equal(
    Array.from({ length: 6 }, () => q.below(10_000)),
    [7464, 6835, 7452, 8625, 6433, 4035],
  );
});

test('both engines replay the small stream to the documented checksum', () => {
  for (const r of [replayLive(fastEngine, 10, 32), replayLive(pureEngine, 10, 32)]) {
    assert.is(r.checksum, 'c34a9a8f');
    assert.is(r.hooks, 34);
  }
});

test('the floor replays the whole stream and hands out no hook', () => {
  const r = replayLive(floorSource, 10, 32);
  assert.is(r.hooks, 0);
  assert.is(r.checksum, '811c9dc5');
});

test.run();
