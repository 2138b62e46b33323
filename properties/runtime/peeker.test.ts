import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HookInfo } from '../../src/model/hook.ts';
import type { RuntimeError } from '../../src/runtime/errors.ts';
import { newPeeker, type Peek } from '../../src/runtime/peeker.ts';
import { type Op, recording } from '../../tests/runtime/support.ts';
import { checkAsync } from '../config.ts';
import { counter, facadeFor, replay, scenarioArb, scheduledWatcher } from './scenario.ts';

const seen = counter(
  'updateWhileOffering',
  'changeHeldForPeek',
  'rejectThenPeekAgain',
  'stopWhilePeekOut',
  'stopWhileOffering',
  'consumeAfterStop',
  'updateError',
  'watcherFailed',
  'stopInUpdate',
);

type Event = Op | { readonly op: 'peek'; readonly hook: HookInfo } | { readonly op: 'reject' };

test('PEEKER-SCHEDULE: under any interleaving, peeks are the current head, held until settled, consumed ones are popped once, and the peeker terminates', async () => {
  await checkAsync(
    fc.asyncProperty(
      fc.scheduler(),
      scenarioArb,
      fc.array(fc.boolean(), { maxLength: 8 }),
      fc.option(fc.nat({ max: 4 }), { nil: undefined }),
      async (s, scenario, verdicts, stopAtUpdate) => {
        let held: Peek | undefined;
        const w = scheduledWatcher(s, scenario, () =>
          seen.hit('changeHeldForPeek', held !== undefined),
        );
        const timeline: Event[] = [];
        let updatedWhileHeld = false;
        const results: Promise<RuntimeError | undefined>[] = [];
        let updates = 0;
        let stopped = false;
        const rec = recording(
          facadeFor(scenario, w.watcher),
          () => {
            if (held !== undefined) updatedWhileHeld = true;
            // Optionally, stop from inside the source's update (while it is being applied).
            if (updates++ !== stopAtUpdate) return;
            seen.hit('stopInUpdate');
            stopped = true;
            results.push(peeker.stop());
          },
          (op) => timeline.push(op),
        );
        const peeker = newPeeker(rec.source);
        let ended = false;
        peeker.done.then(() => {
          ended = true;
        });

        const consumed: HookInfo[] = [];
        const consumer = async () => {
          for (const consume of verdicts) {
            await s.schedule(Promise.resolve(), 'consumer ready');
            const r = await peeker.peeks().receive();
            if (r.done === true) return;
            held = r.value;
            timeline.push({ op: 'peek', hook: r.value.hookInfo });
            await s.schedule(Promise.resolve(), consume ? 'consume' : 'reject');
            const settled = consume ? held.consume() : held.reject();
            held = undefined;
            if (E.isLeft(settled)) {
              assert.ok(stopped, 'a peek is refused only once the peeker stopped');
              assert.is(settled.left._tag, 'PeekerStopped');
              seen.hit('consumeAfterStop');
              return;
            }
            if (consume) consumed.push(r.value.hookInfo);
            else timeline.push({ op: 'reject' });
          }
        };
        void consumer();

        const stopper = async () => {
          await s.schedule(Promise.resolve(), 'stop');
          seen.hit('stopWhilePeekOut', !ended && held !== undefined);
          seen.hit('stopWhileOffering', !ended && held === undefined && !rec.source.empty());
          stopped = true;
          results.push(peeker.stop());
        };
        void stopper();

        await s.waitIdle();
        assert.ok(ended, 'the peeker did not terminate');
        const error = await s.waitFor(peeker.done);
        for (const result of await Promise.all(results)) assert.equal(result, error);
        assert.not.ok(updatedWhileHeld, 'no change is applied while a peek is out');

        const expected = replay(scenario, rec.log);
        assert.ok(expected.applied.every((c, i) => c === scenario.changes[i]));
        assert.equal(consumed, expected.popped, 'consumed peeks are popped, once each, in order');
        if (expected.updateError !== undefined) assert.equal(error, expected.updateError);

        // Every peek showed the head of the pure source at the time it was received.
        const ops = timeline.filter((e): e is Op => e.op === 'update' || e.op === 'pop');
        let applied = 0;
        for (const [i, event] of timeline.entries()) {
          if (event.op === 'update' || event.op === 'pop') applied += 1;
          if (event.op !== 'peek') continue;
          const upTo = replay(scenario, [...ops.slice(0, applied), ...popAt(event.hook)]);
          assert.equal(upTo.popped.at(-1), event.hook, `peek ${i} was the current head`);
          const after = timeline[i + 1];
          seen.hit('rejectThenPeekAgain', after?.op === 'reject' && timeline[i + 2]?.op === 'peek');
        }

        assert.is(rec.stops(), 1);
        assert.not.ok(rec.usedAfterStop(), 'the source is not used once stopped');
        if (scenario.kind === 'live') assert.is(w.stops(), 1);
        assert.equal(await peeker.peeks().receive(), { done: true, value: undefined });

        seen.hit(
          'updateWhileOffering',
          rec.log.some((op) => op.op === 'update' && op.wasScheduled),
        );
        seen.hit('updateError', expected.updateError !== undefined);
        seen.hit('watcherFailed', error?._tag === 'WatcherFailed');
      },
    ),
    300,
  );
  if (process.env.RELSPEC_COUNTS !== undefined) console.log('peeker', seen.counts);
  for (const [situation, count] of Object.entries(seen.counts)) {
    assert.ok(count > 0, `never reached: ${situation}`);
  }
});

/** A pop right after the peek, to read the head it must have shown. */
const popAt = (hook: HookInfo): Op[] => [{ op: 'pop', hook }];

test.run();
