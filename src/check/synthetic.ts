import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { TraceEvent } from '../../spec/trace.ts';
import { RelationUnitsChange } from '../model/change.ts';
import { type ChangeVersion, changeVersion } from '../model/changeVersion.ts';
import { HookInfo as HookInfoC } from '../model/hook.ts';
import { stringifyJson } from '../model/json.ts';
import { relationId } from '../model/relationId.ts';
import { State } from '../model/state.ts';
import { type UnitName, unitName } from '../model/unitName.ts';
import { dyingSource } from '../schedule/dying.ts';
import { liveSource } from '../schedule/live.ts';
import { type HookSource, next, pop, update } from '../schedule/source.ts';
import { commitHook } from '../state/commit.ts';

// A conforming trace of an agent driven by the reference, for throughput
// measurement and tests: a watcher over a pool of units (joins, version
// bumps, departures), the agent running and committing every hook, idling
// when done, crashing and restarting now and then, and finally dying.

/** A small deterministic generator (mulberry32); the same seed gives the same trace. */
const random = (seed: number) => {
  let a = seed >>> 0;
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) | 0;
  };
};

const R = relationId(7);

/** Events of a conforming trace, at least `minEvents` of them. */
export function* syntheticTrace(minEvents: number, seed = 1, units = 50): Generator<TraceEvent> {
  const rnd = random(seed);
  let count = 0;
  let nextUnit = 0;
  const view = new Map<UnitName, ChangeVersion>();
  let state: State = { relationId: R, members: new Map(), changedPending: '' };
  const fresh = (): UnitName => unitName(`u${nextUnit % 7}-x/${nextUnit++}`);

  const emit = function* (e: TraceEvent) {
    count++;
    yield e;
  };

  while (count < minEvents) {
    // A run: start, snapshot, then changes and hooks until a crash.
    yield* emit({ type: 'start', state });
    let source: HookSource = E.getOrElseW(() => {
      throw new Error('synthetic: bad state');
    })(liveSource(state));
    let first = true;
    let crashed = false;
    while (count < minEvents && !crashed) {
      const changed = new Map<UnitName, ChangeVersion>();
      const departed: UnitName[] = [];
      if (first) {
        for (const [u, v] of view) changed.set(u, v);
      } else {
        const roll = rnd(10);
        if (roll < 4 && view.size < units) {
          const u = fresh();
          changed.set(u, changeVersion(rnd(100)));
        } else if (roll < 8 && view.size > 0) {
          const all = [...view.keys()];
          const u = all[rnd(all.length)] as UnitName;
          changed.set(u, changeVersion((view.get(u) as bigint) + BigInt(1 + rnd(5))));
        } else if (view.size > 0) {
          const all = [...view.keys()];
          departed.push(all[rnd(all.length)] as UnitName);
        }
      }
      for (const [u, v] of changed) view.set(u, v);
      for (const u of departed) view.delete(u);
      const ch = { changed, departed };
      yield* emit({ type: 'change', change: ch });
      first = false;
      source = E.getOrElseW(() => {
        throw new Error('synthetic: bad change');
      })(update(source, ch));
      // Run a few hooks, or all of them and go idle.
      const budget = rnd(4) === 0 ? Number.POSITIVE_INFINITY : rnd(3);
      for (let i = 0; i < budget; i++) {
        const h = next(source);
        if (O.isNone(h)) break;
        yield* emit({ type: 'hook', hook: h.value });
        if (rnd(200) === 0) {
          yield* emit({ type: 'crash' });
          crashed = true;
          break;
        }
        yield* emit({ type: 'commit', hook: h.value });
        state = commitHook(state, h.value);
        source = E.getOrElseW(() => {
          throw new Error('synthetic: pop');
        })(pop(source));
      }
      if (!crashed && O.isNone(next(source))) yield* emit({ type: 'idle' });
    }
    if (!crashed) {
      // Wind down: the dying source, every hook committed, then idle.
      yield* emit({ type: 'dying' });
      let dying: HookSource = dyingSource(state);
      for (let h = next(dying); O.isSome(h); h = next(dying)) {
        yield* emit({ type: 'hook', hook: h.value });
        yield* emit({ type: 'commit', hook: h.value });
        state = commitHook(state, h.value);
        dying = E.getOrElseW(() => {
          throw new Error('synthetic: pop');
        })(pop(dying));
      }
      yield* emit({ type: 'idle' });
      return;
    }
  }
}

/** One event as a trace line (spec/TRACE.md), without the newline. */
export const traceLine = (e: TraceEvent): string => {
  switch (e.type) {
    case 'start':
      return stringifyJson({ type: 'start', state: State.encode(e.state) });
    case 'change':
      return stringifyJson({ type: 'change', change: RelationUnitsChange.encode(e.change) });
    case 'hook':
    case 'commit':
      return stringifyJson({ type: e.type, hook: HookInfoC.encode(e.hook) });
    default:
      return stringifyJson({ type: e.type });
  }
};
