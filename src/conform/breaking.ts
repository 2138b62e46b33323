import * as fc from 'fast-check';
import { type ChangeVersion, changeVersion } from '../model/changeVersion.ts';
import { INT64_MIN } from '../model/int64.ts';
import { compareUnits, type UnitName } from '../model/unitName.ts';
import {
  type Scenario,
  type ScenarioShape,
  type ScenarioStep,
  wellBehavedScenario,
} from './scenario.ts';
import { applyEvent, applyWire, emptyWorld, type WireChange, type World } from './world.ts';

/**
 * Scenarios for the phases that break one watcher assumption (A1-A4) or
 * misuse the API. Each is a well-behaved scenario with something inserted:
 * a raw watcher change built against the world as it stands at that point
 * (so that it breaks exactly the assumption asked for), or a group of raw
 * requests. Shrinking shrinks the well-behaved part and the insertion.
 */
export type Assumption = 'A1' | 'A2' | 'A3' | 'A4';

interface WorldAt {
  readonly world: World;
  /** Units that left the watcher view, with their last version. */
  readonly gone: ReadonlyMap<UnitName, ChangeVersion>;
}

/** The world before step `index`, as the driver will track it (only watch and change move it). */
const worldBefore = (steps: readonly ScenarioStep[], index: number): WorldAt => {
  let world = emptyWorld;
  const gone = new Map<UnitName, ChangeVersion>();
  for (const step of steps.slice(0, index)) {
    let departed: readonly UnitName[] = [];
    let next = world;
    if (step.t === 'watch') {
      const applied = applyEvent(world, step.event);
      departed = applied.delta.departed;
      next = applied.world;
    } else if (step.t === 'change') {
      departed = step.change.departed;
      next = applyWire(world, step.change);
    }
    for (const unit of departed) {
      const v = world.present.get(unit);
      if (v !== undefined) gone.set(unit, v);
    }
    for (const unit of next.present.keys()) gone.delete(unit);
    world = next;
  }
  return { world, gone };
};

const pickFrom = <A>(items: readonly A[], pick: number): A | undefined =>
  items.length === 0 ? undefined : items[pick % items.length];

const sortedUnits = (m: ReadonlyMap<UnitName, ChangeVersion>): UnitName[] =>
  [...m.keys()].sort(compareUnits);

/** A unit no watcher ever reported (the world's applications never include it). */
const STRANGER = 'nobody/0' as UnitName;

const NOTHING_HAPPENS: ScenarioStep = {
  t: 'watch',
  event: { joins: [], bumps: [], departs: [], order: 0 },
};

const raw = (change: WireChange): ScenarioStep => ({ t: 'change', change });

interface Breach {
  readonly at: number;
  readonly pick: number;
  readonly same: boolean;
  readonly by: bigint;
}

/** The steps that break `assumption` against the world at that point. */
const breachSteps = (assumption: Assumption, at: WorldAt, b: Breach): ScenarioStep[] => {
  const present = sortedUnits(at.world.present);
  const gone = sortedUnits(at.gone);
  switch (assumption) {
    case 'A1': {
      // A restart, then a first change (snapshot) that departs someone.
      const unit = pickFrom(present, b.pick) ?? pickFrom(gone, b.pick) ?? STRANGER;
      const changed = [...at.world.present].filter(([u]) => u !== unit);
      return [{ t: 'restart' }, raw({ changed, departed: [unit] })];
    }
    case 'A2': {
      // A departure of a unit not in the view: one that left, or a stranger.
      const unit = pickFrom([...gone, STRANGER], b.pick) ?? STRANGER;
      return [NOTHING_HAPPENS, raw({ changed: [], departed: [unit] })];
    }
    case 'A3': {
      // A unit that left comes back, with its last version or a new one.
      const unit = pickFrom(gone, b.pick);
      if (unit === undefined) return [NOTHING_HAPPENS];
      const last = at.gone.get(unit) as ChangeVersion;
      const v = b.same ? last : changeVersion(last + 1n + b.by);
      return [NOTHING_HAPPENS, raw({ changed: [[unit, v]], departed: [] })];
    }
    case 'A4': {
      // A present unit reported again with its version, or a lower one.
      const unit = pickFrom(present, b.pick);
      if (unit === undefined) return [NOTHING_HAPPENS];
      const last = at.world.present.get(unit) as ChangeVersion;
      const lower = last - 1n - b.by;
      const v = b.same ? last : changeVersion(lower < INT64_MIN ? INT64_MIN : lower);
      return [NOTHING_HAPPENS, raw({ changed: [[unit, v]], departed: [] })];
    }
  }
};

const breach: fc.Arbitrary<Breach> = fc.record({
  at: fc.nat(),
  pick: fc.nat(7),
  same: fc.boolean(),
  by: fc.bigInt({ min: 0n, max: 3n }),
});

/** Well-behaved scenarios with one break of `assumption` inserted. */
export const assumptionBreakingScenario = (
  assumption: Assumption,
  shape: ScenarioShape,
): fc.Arbitrary<Scenario> =>
  fc.tuple(wellBehavedScenario(shape), breach).map(([scenario, b]) => {
    const index = b.at % (scenario.steps.length + 1);
    const inserted = breachSteps(assumption, worldBefore(scenario.steps, index), b);
    return {
      relationId: scenario.relationId,
      steps: [...scenario.steps.slice(0, index), ...inserted, ...scenario.steps.slice(index)],
    };
  });

// ------------------------------------------------------------- API misuse

type Request = Readonly<Record<string, unknown>> & { readonly op: string };

const call = (request: Request, ...rules: string[]): ScenarioStep =>
  rules.length === 0 ? { t: 'call', request } : { t: 'call', request, rules };

const own = { source: '$SOURCE' };

/**
 * Groups of requests an agent should never send, each built to meet one
 * rule: `rules` are recorded when the reference answers with a domain error
 * (what the rule says must happen).
 */
const misuseGroups = (relationId: number): readonly (readonly ScenarioStep[])[] => {
  const hook = { kind: 'relation-joined', relationId, remoteUnit: 'mysql/0', changeVersion: 1n };
  const state = { relationId, members: { 'mysql/0': 1n }, changedPending: 'mysql/0' };
  return [
    // next and pop on the agent's own source, whatever it holds (empty or not).
    [call({ op: 'source.next', ...own }, 'R-SOURCE-EMPTY-MISUSE')],
    [call({ op: 'source.pop', ...own }, 'R-SOURCE-EMPTY-MISUSE')],
    // An empty change on the agent's source: refused when it is the dying one.
    [call({ op: 'source.update', ...own, change: {} }, 'R-DYING-NO-UPDATES')],
    // A fresh live source used before its first change, then given a first change with departures.
    [
      call({ op: 'source.live', source: 'm', state }),
      call({ op: 'source.empty', source: 'm' }),
      call(
        { op: 'source.next', source: 'm' },
        'R-LIVE-EMPTY-BEFORE-FIRST',
        'R-SOURCE-EMPTY-MISUSE',
      ),
      call({ op: 'source.pop', source: 'm' }, 'R-LIVE-EMPTY-BEFORE-FIRST', 'R-SOURCE-EMPTY-MISUSE'),
      call(
        { op: 'source.update', source: 'm', change: { departed: ['mysql/0'] } },
        'R-LIVE-FIRST-NO-DEPARTURES',
      ),
      call({ op: 'source.stop', source: 'm' }),
    ],
    // After its first change, a departure of a unit it never saw.
    [
      call({ op: 'source.live', source: 'm', state }),
      call({
        op: 'source.update',
        source: 'm',
        change: { changed: { 'mysql/0': { version: 2n } } },
      }),
      call(
        { op: 'source.update', source: 'm', change: { departed: ['nobody/0'] } },
        'R-LIVE-UNKNOWN-DEPARTURE',
        'Q-UNKNOWN-DEPARTURE-ERROR',
      ),
      call({ op: 'source.stop', source: 'm' }),
    ],
    // Updates on a list and on a dying source; pop past the end.
    [
      call({ op: 'source.list', source: 'm', hooks: [hook] }),
      call({ op: 'source.update', source: 'm', change: {} }, 'R-LIST-NO-UPDATES'),
      call({ op: 'source.pop', source: 'm' }),
      call({ op: 'source.pop', source: 'm' }, 'R-SOURCE-EMPTY-MISUSE'),
      call({ op: 'source.stop', source: 'm' }),
    ],
    [
      call({ op: 'source.dying', source: 'm', state }),
      call({ op: 'source.update', source: 'm', change: {} }, 'R-DYING-NO-UPDATES'),
      call({ op: 'source.stop', source: 'm' }),
    ],
    // Names that name nothing: a protocol error on both sides.
    [call({ op: 'source.next', source: 'no-such-source' })],
    [call({ op: 'source.stop', source: 'no-such-source' })],
    [call({ op: 'statedir.state', dir: 'no-such-dir' })],
    [call({ op: 'statedir.write', dir: 'no-such-dir', hook })],
    // A base that is not a directory.
    [call({ op: 'statedir.open', dir: 'x', base: '/dev/null', relationId }, 'R-READ-STAT-ERROR')],
    [call({ op: 'statedir.readAll', base: '/dev/null' }, 'R-READ-STAT-ERROR')],
    // A write before the directory exists, then what memory says.
    [
      call({ op: 'statedir.open', dir: 'x', base: '$BASE/elsewhere', relationId }),
      call(
        { op: 'statedir.write', dir: 'x', hook },
        'R-WRITE-ERRORS',
        'R-WRITE-NO-ENSURE',
        'R-WRITE-PREFIX',
      ),
      call({ op: 'statedir.state', dir: 'x' }),
    ],
    // Initial states the agent never builds: null members, a pending unit that is not a member.
    [
      call({
        op: 'source.live',
        source: 'm',
        state: { ...state, members: null, changedPending: '' },
      }),
      call({
        op: 'source.update',
        source: 'm',
        change: { changed: { 'mysql/0': { version: 1n } } },
      }),
      call({ op: 'source.next', source: 'm' }),
      call({ op: 'source.stop', source: 'm' }),
    ],
    [
      call(
        { op: 'source.live', source: 'm', state: { ...state, members: {} } },
        'R-LIVE-INITIAL-PENDING-NOT-MEMBER',
      ),
    ],
    [
      call({ op: 'source.dying', source: 'm', state: { ...state, members: null } }),
      call({ op: 'source.next', source: 'm' }),
      call({ op: 'source.stop', source: 'm' }),
    ],
    [
      call({ op: 'source.dying', source: 'm', state: { ...state, members: { 'a2/1': 3n } } }),
      call({ op: 'source.next', source: 'm' }),
      call({ op: 'source.stop', source: 'm' }),
    ],
    // A failed open creates no handle; a missing base has no relations.
    [
      call({ op: 'statedir.open', dir: 'y', base: '/dev/null', relationId }),
      call({ op: 'statedir.state', dir: 'y' }),
    ],
    [call({ op: 'statedir.readAll', base: '$BASE/nowhere' })],
    // Writes an agent never makes: twice the same, a departure without a file,
    // after broken, and a remove of a directory that still has files.
    [
      call({ op: 'statedir.open', dir: 'z', base: '$BASE/elsewhere', relationId }),
      call({ op: 'statedir.ensure', dir: 'z' }),
      call({ op: 'statedir.write', dir: 'z', hook }),
      call({ op: 'statedir.write', dir: 'z', hook }),
      call({ op: 'statedir.remove', dir: 'z' }, 'R-DIR-REMOVE'),
      call({
        op: 'statedir.write',
        dir: 'z',
        hook: { ...hook, kind: 'relation-departed', remoteUnit: 'a2/1' },
      }),
      call({ op: 'statedir.write', dir: 'z', hook: { ...hook, kind: 'relation-departed' } }),
      call({ op: 'statedir.remove', dir: 'z' }),
      call({ op: 'statedir.ensure', dir: 'z' }),
      call({ op: 'statedir.write', dir: 'z', hook: { ...hook, kind: 'relation-changed' } }),
      call({ op: 'statedir.state', dir: 'z' }),
    ],
  ];
};

/** Well-behaved scenarios with groups of misuse requests inserted. */
export const misuseScenario = (shape: ScenarioShape): fc.Arbitrary<Scenario> =>
  fc
    .tuple(
      wellBehavedScenario(shape),
      fc.array(fc.record({ at: fc.nat(), group: fc.nat() }), { minLength: 1, maxLength: 3 }),
    )
    .map(([scenario, inserts]) => {
      const groups = misuseGroups(scenario.relationId);
      const steps = [...scenario.steps];
      for (const { at, group } of inserts) {
        steps.splice(at % (steps.length + 1), 0, ...(groups[group % groups.length] ?? []));
      }
      return { relationId: scenario.relationId, steps };
    });
