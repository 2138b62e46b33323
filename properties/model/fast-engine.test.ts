import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RelationUnitsChange } from '../../src/model/change.ts';
import { type ChangeVersion, changeVersion } from '../../src/model/changeVersion.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import { relationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { type UnitName, unitName } from '../../src/model/unitName.ts';
import { type Engine, pureEngine } from '../../src/schedule/engine.ts';
import type { SourceError } from '../../src/schedule/errors.ts';
import { fastEngine } from '../../src/schedule/fast/engine.ts';
import type { HookSource } from '../../src/schedule/source.ts';
import { check } from '../config.ts';

// The fast engine is the reference, operation for operation: both are driven
// by the same sequence of creations, updates, nexts and pops, and after every
// step they must give the same answer (error text included), agree on empty,
// and show the same head. A failure shrinks to the shortest such sequence.

type Op =
  | { readonly op: 'live'; readonly state: State }
  | { readonly op: 'dying'; readonly state: State }
  | { readonly op: 'list'; readonly hooks: readonly HookInfo[] }
  | { readonly op: 'update'; readonly change: RelationUnitsChange }
  | { readonly op: 'pop' }
  | { readonly op: 'next' };

// Few names, few versions: collisions (equal versions, re-joins, departures
// of queued units) are what the rules are about. Names sort apart from
// creation order ('a/10' < 'a/2').
const POOL = ['a/0', 'a/10', 'a/2', 'a-b/0', 'b/1', 'c/0'].map(unitName);
const R = relationId(5);

const unit = fc.constantFrom(...POOL);
const version = fc.integer({ min: 0, max: 2 }).map((n): ChangeVersion => changeVersion(n));

const state: fc.Arbitrary<State> = fc
  .record({
    members: fc.option(
      fc.uniqueArray(fc.tuple(unit, version), { maxLength: 5, selector: ([u]) => u }),
      { nil: null, freq: 8 },
    ),
    pending: fc.option(unit, { nil: '' as const, freq: 3 }),
  })
  .map(({ members, pending }) => ({
    relationId: R,
    members: members === null ? null : new Map(members),
    changedPending: pending,
  }));

const change: fc.Arbitrary<RelationUnitsChange> = fc
  .record({
    changed: fc.uniqueArray(fc.tuple(unit, version), { maxLength: 4, selector: ([u]) => u }),
    departed: fc.oneof(
      { weight: 4, arbitrary: fc.constant([] as UnitName[]) },
      { weight: 2, arbitrary: fc.array(unit, { minLength: 1, maxLength: 3 }) },
    ),
  })
  .map(({ changed, departed }) => ({ changed: new Map(changed), departed }));

const hook: fc.Arbitrary<HookInfo> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('relation-joined', 'relation-changed', 'relation-departed'),
    relationId: fc.constant(R),
    remoteUnit: unit,
    changeVersion: version,
  }),
  fc.constant<HookInfo>({
    kind: 'relation-broken',
    relationId: R,
    remoteUnit: '',
    changeVersion: changeVersion(0),
  }),
);

const ops: fc.Arbitrary<Op[]> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: state.map((s): Op => ({ op: 'live', state: s })) },
      { weight: 1, arbitrary: state.map((s): Op => ({ op: 'dying', state: s })) },
      {
        weight: 1,
        arbitrary: fc.array(hook, { maxLength: 3 }).map((h): Op => ({ op: 'list', hooks: h })),
      },
    ),
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: change.map((c): Op => ({ op: 'update', change: c })) },
        { weight: 6, arbitrary: fc.constant<Op>({ op: 'pop' }) },
        { weight: 2, arbitrary: fc.constant<Op>({ op: 'next' }) },
        { weight: 1, arbitrary: state.map((s): Op => ({ op: 'live', state: s })) },
        { weight: 1, arbitrary: state.map((s): Op => ({ op: 'dying', state: s })) },
      ),
      { maxLength: 40 },
    ),
  )
  .map(([first, rest]) => [first, ...rest]);

const showHook = (h: O.Option<HookInfo>): string =>
  O.isNone(h) ? 'none' : `${h.value.kind} ${h.value.remoteUnit} ${h.value.changeVersion}`;

const showResult = <S>(r: E.Either<SourceError, S>): string =>
  E.isLeft(r) ? `error ${r.left._tag}: ${r.left.message}` : 'ok';

/** One engine driven through the steps: what it answered at each. */
class Driven<S> {
  private source: S | undefined;

  constructor(private readonly engine: Engine<S>) {}

  get current(): S | undefined {
    return this.source;
  }

  step(op: Op): string {
    const e = this.engine;
    const s = this.source;
    const keep = (r: E.Either<SourceError, S>): string => {
      if (E.isRight(r)) this.source = r.right;
      return showResult(r);
    };
    switch (op.op) {
      case 'live': {
        const created = e.live(op.state);
        // A failed creation leaves no source, as the protocol does.
        this.source = E.isRight(created) ? created.right : undefined;
        return showResult(created);
      }
      case 'dying':
        this.source = e.dying(op.state);
        return 'ok';
      case 'list':
        this.source = e.list(op.hooks);
        return 'ok';
      case 'update':
        return s === undefined ? 'no source' : keep(e.update(s, op.change));
      case 'pop':
        return s === undefined ? 'no source' : keep(e.pop(s));
      case 'next':
        return s === undefined ? 'no source' : showHook(e.next(s));
    }
  }

  /** What can be observed without changing the source. */
  observe(): string {
    const s = this.source;
    if (s === undefined) return 'no source';
    return `${this.engine.empty(s)} ${showHook(this.engine.next(s))}`;
  }
}

const kinds = [
  'pendingNotMember',
  'firstDeparts',
  'unknownDeparture',
  'refusedUpdate',
  'emptyPop',
  'joinedPopped',
  'changedPopped',
  'departedPopped',
  'brokenPopped',
  'snapshotDeparts',
  'equalVersionDrop',
  'changedPendingDropsQueued',
  'departWhileJoinPending',
  'burstOfChanges',
] as const;

test('fast engine: the same answers as the pure reference at every step', () => {
  const seen = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<
    (typeof kinds)[number],
    number
  >;
  /** What the step is about to exercise, read off the reference before it runs. */
  const tally = (before: HookSource | undefined, op: Op, answer: string): void => {
    if (answer.includes('PendingUnitNotMember')) seen.pendingNotMember++;
    if (answer.includes('FirstChangeHasDepartures')) seen.firstDeparts++;
    if (answer.includes('UnknownDeparture')) seen.unknownDeparture++;
    if (answer.includes('UpdatesRefused')) seen.refusedUpdate++;
    if (answer.includes('EmptySource')) seen.emptyPop++;
    if (before === undefined) return;
    if (op.op === 'pop' && answer === 'ok') {
      const head = pureEngine.next(before);
      if (O.isSome(head)) {
        const k = head.value.kind;
        if (k === 'relation-joined') seen.joinedPopped++;
        if (k === 'relation-changed') seen.changedPopped++;
        if (k === 'relation-departed') seen.departedPopped++;
        if (k === 'relation-broken') seen.brokenPopped++;
      }
      if (before._tag === 'LiveSource' && before.changedPending !== '') {
        if (before.units.get(before.changedPending)?.pending === 'relation-changed') {
          seen.changedPendingDropsQueued++;
        }
      }
    }
    if (op.op !== 'update' || before._tag !== 'LiveSource' || answer !== 'ok') return;
    if (op.change.changed.size > 1) seen.burstOfChanges++;
    if (!before.started) {
      for (const u of before.units.keys()) if (!op.change.changed.has(u)) seen.snapshotDeparts++;
    }
    for (const [u, v] of op.change.changed) {
      const e = before.units.get(u);
      if (e?.pending != null && e.pending !== 'relation-joined' && e.version === v) {
        seen.equalVersionDrop++;
      }
    }
    for (const u of op.change.departed) {
      if (before.units.get(u)?.pending === 'relation-joined') seen.departWhileJoinPending++;
    }
  };
  check(
    fc.property(ops, (steps) => {
      const pure = new Driven(pureEngine);
      const fast = new Driven(fastEngine);
      for (const [i, op] of steps.entries()) {
        const before = pure.current;
        const want = pure.step(op);
        const got = fast.step(op);
        tally(before, op, want);
        if (got !== want) throw new Error(`step ${i} (${op.op}): fast ${got}, pure ${want}`);
        const w = pure.observe();
        const g = fast.observe();
        if (g !== w) throw new Error(`after step ${i} (${op.op}): fast ${g}, pure ${w}`);
      }
      return true;
    }),
    1500,
  );
  for (const k of kinds) assert.ok(seen[k] > 0, `${k} never reached`);
  console.log(`  fast engine cases reached: ${JSON.stringify(seen)}`);
});

test('fast engine: a failed update leaves the source as it was', () => {
  const s = fastEngine.live({ relationId: R, members: null, changedPending: '' });
  assert.ok(E.isRight(s));
  if (E.isLeft(s)) return;
  const a = POOL[0] as UnitName;
  const b = POOL[1] as UnitName;
  assert.ok(
    E.isRight(
      fastEngine.update(s.right, { changed: new Map([[a, changeVersion(1)]]), departed: [] }),
    ),
  );
  const bad = fastEngine.update(s.right, {
    changed: new Map([[a, changeVersion(2)]]),
    departed: [b],
  });
  assert.ok(E.isLeft(bad));
  assert.is(showHook(fastEngine.next(s.right)), `relation-joined ${a} 1`);
});

test.run();
