import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../properties/config.ts';
import { wellBehavedScenario } from '../../src/conform/scenario.ts';
import { applyEvent, emptyWorld, snapshot, type World } from '../../src/conform/world.ts';

// The scenario world keeps the watcher's assumptions by construction, also
// for the sub-sequences shrinking produces (any list of events is valid).

const events = wellBehavedScenario({ maxSteps: 30 }).map((s) =>
  s.steps.flatMap((step) => (step.t === 'watch' ? [step.event] : [])),
);

test('conform world: every delta obeys A2, A3 and A4; snapshots obey A1', () => {
  let departures = 0;
  let bumps = 0;
  check(
    fc.property(events, (evs) => {
      let world: World = emptyWorld;
      const gone = new Set<string>();
      const last = new Map<string, bigint>();
      for (const ev of evs) {
        const before = world.present;
        const { world: next, delta } = applyEvent(world, ev);
        for (const unit of delta.departed) {
          // A2: a departure names a present unit, once.
          if (!before.has(unit)) return false;
          if (delta.departed.filter((u) => u === unit).length !== 1) return false;
          gone.add(unit);
          departures += 1;
        }
        for (const [unit, version] of delta.changed) {
          // A3: a departed unit never comes back; A4: versions only grow.
          if (gone.has(unit) && !delta.departed.includes(unit)) return false;
          const previous = last.get(unit);
          if (previous !== undefined) {
            if (version <= previous) return false;
            bumps += 1;
          }
          last.set(unit, version);
        }
        if (snapshot(next, ev.order).departed.length !== 0) return false;
        world = next;
      }
      return true;
    }),
    200,
  );
  // The property reached the cases it is about.
  assert.ok(departures > 0, 'no departure generated');
  assert.ok(bumps > 0, 'no version bump generated');
});

test('conform world: changed keys go on the wire in a shuffled order (R-LIVE-SORTED is exercised)', () => {
  const world = [0, 1, 2, 3, 4].reduce<World>(
    (w, app) =>
      applyEvent(w, { joins: [{ app, version: 1n }], bumps: [], departs: [], order: 0 }).world,
    emptyWorld,
  );
  const orders = new Set(
    [1, 2, 3, 4, 5, 6, 7, 8].map((o) =>
      snapshot(world, o)
        .changed.map(([u]) => u)
        .join(','),
    ),
  );
  assert.ok(orders.size > 1);
});

test.run();
