import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HookInfo } from '../../src/model/hook.ts';
import { channel } from '../../src/runtime/channel.ts';
import type { RuntimeError } from '../../src/runtime/errors.ts';
import { newHookSender } from '../../src/runtime/sender.ts';
import { recording } from '../../tests/runtime/support.ts';
import { checkAsync } from '../config.ts';
import {
  counter,
  facadeFor,
  replay,
  scenarioArb,
  scheduledWatcher,
  WATCHER_FAILURE,
} from './scenario.ts';

const seen = counter(
  'updateWhileOffering',
  'stopWhileOffering',
  'stopAfterEnd',
  'endedByItself',
  'updateError',
  'watcherFailed',
  'changesEnded',
  'allDelivered',
  'stopInUpdate',
);

test('SENDER-SCHEDULE: under any interleaving the sender delivers what the pure source gives, once each, then terminates', async () => {
  await checkAsync(
    fc.asyncProperty(
      fc.scheduler(),
      scenarioArb,
      fc.nat({ max: 8 }),
      fc.boolean(),
      fc.option(fc.nat({ max: 4 }), { nil: undefined }),
      async (s, scenario, reads, stopTwice, stopAtUpdate) => {
        const w = scheduledWatcher(s, scenario);
        const stops: Promise<RuntimeError | undefined>[] = [];
        let updates = 0;
        // Optionally, stop from inside the source's update (while it is being applied).
        const rec = recording(facadeFor(scenario, w.watcher), () => {
          if (updates++ !== stopAtUpdate) return;
          seen.hit('stopInUpdate');
          stops.push(sender.stop());
        });
        const out = channel<HookInfo>();
        const sender = newHookSender(out, rec.source);
        let ended = false;
        sender.done.then(() => {
          ended = true;
        });

        const received: HookInfo[] = [];
        const consumer = async () => {
          for (let i = 0; i < reads; i++) {
            await s.schedule(Promise.resolve(), 'consumer ready');
            const r = await out.receive();
            if (r.done === true) return;
            received.push(r.value);
          }
        };
        void consumer();

        let endedBeforeStop = false;
        const stopper = async () => {
          await s.schedule(Promise.resolve(), 'stop');
          seen.hit('stopWhileOffering', !ended && !rec.source.empty());
          endedBeforeStop = ended;
          stops.push(sender.stop());
          if (stopTwice) {
            await s.schedule(Promise.resolve(), 'stop again');
            stops.push(sender.stop());
          }
        };
        void stopper();

        await s.waitIdle();
        assert.ok(
          ended,
          `the sender did not terminate\n${s
            .report()
            .map((t) => t.label)
            .join(', ')}`,
        );
        const error = await s.waitFor(sender.done);
        for (const result of await Promise.all(stops)) assert.equal(result, error);

        // Updates were the watcher's changes, each once, in order.
        const expected = replay(scenario, rec.log);
        assert.equal(expected.applied, scenario.changes.slice(0, expected.applied.length));
        assert.ok(
          expected.applied.every((c, i) => c === scenario.changes[i]),
          'the very change objects, in order',
        );
        // The receiver got exactly the head at every pop: nothing lost, nothing twice.
        assert.equal(received, expected.popped);

        // How it ended.
        if (expected.updateError !== undefined) assert.equal(error, expected.updateError);
        else if (error?._tag === 'WatcherFailed') assert.is(error.message, WATCHER_FAILURE);
        else if (error?._tag === 'ChangesEnded') assert.is(scenario.ending, 'end');
        else assert.is(error, undefined);

        // The source (and its watcher) stopped exactly once; the output stayed open.
        assert.is(rec.stops(), 1);
        assert.not.ok(rec.usedAfterStop(), 'the source is not used once stopped');
        if (scenario.kind === 'live') assert.is(w.stops(), 1);
        assert.not.ok(out.closed);

        seen.hit(
          'updateWhileOffering',
          rec.log.some((op) => op.op === 'update' && op.wasScheduled),
        );
        seen.hit('updateError', expected.updateError !== undefined);
        seen.hit('watcherFailed', error?._tag === 'WatcherFailed');
        seen.hit('changesEnded', error?._tag === 'ChangesEnded');
        seen.hit('stopAfterEnd', endedBeforeStop);
        seen.hit(
          'endedByItself',
          scenario.kind === 'dying' && endedBeforeStop && error === undefined,
        );
        seen.hit(
          'allDelivered',
          scenario.kind === 'dying' &&
            received.length === expected.popped.length &&
            rec.source.empty(),
        );
      },
    ),
    300,
  );
  if (process.env.RELSPEC_COUNTS !== undefined) console.log('sender', seen.counts);
  for (const [situation, count] of Object.entries(seen.counts)) {
    assert.ok(count > 0, `never reached: ${situation}`);
  }
});

test.run();
