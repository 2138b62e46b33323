import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type ChangeVersion,
  changeVersion,
  type HookInfo,
  type RelationUnitsChange,
  relationId,
  type State,
  type UnitName,
  unitName,
} from '../../src/model/index.ts';
import {
  type LiveSource,
  liveEmpty,
  liveNext,
  livePop,
  liveSource,
  liveUpdate,
} from '../../src/schedule/live.ts';
import { check } from '../config.ts';

// Any sequence of well-formed changes and pops, the watcher's contract kept
// or not: the live source never throws (errors are values), and it behaves
// exactly like a line-by-line transcription of behaviour.md (arrays and
// maps, O(n) everywhere, obviously right rather than fast).

type Kind = 'relation-joined' | 'relation-changed' | 'relation-departed';
interface Info {
  version: bigint;
  joined: boolean;
  kind: Kind | null;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** behaviour.md's live source, transcribed. */
class Transcript {
  info = new Map<string, Info>();
  queue: string[] = [];
  changedPending: string;
  started = false;

  constructor(state: State) {
    for (const [u, v] of state.members ?? []) {
      this.info.set(u, { version: v, joined: true, kind: null });
    }
    this.changedPending = state.changedPending;
  }

  private copy(): Transcript {
    const t = Object.create(Transcript.prototype) as Transcript;
    t.info = new Map([...this.info].map(([u, i]) => [u, { ...i }]));
    t.queue = [...this.queue];
    t.changedPending = this.changedPending;
    t.started = this.started;
    return t;
  }

  private enqueue(unit: string, kind: Kind): void {
    const i = this.info.get(unit) as Info;
    if (i.kind === null) this.queue.push(unit);
    i.kind = kind;
  }

  private unqueue(unit: string): void {
    const i = this.info.get(unit) as Info;
    if (i.kind === null) return;
    this.queue.splice(this.queue.indexOf(unit), 1);
    i.kind = null;
  }

  /** Apply in place; the name of an unknown departed unit on failure. */
  private apply(changed: ReadonlyMap<string, bigint>, departed: readonly string[]): string | null {
    for (const unit of [...changed.keys()].sort(byName)) {
      const version = changed.get(unit) as bigint;
      const i = this.info.get(unit);
      if (i === undefined) {
        this.info.set(unit, { version, joined: false, kind: null });
        this.enqueue(unit, 'relation-joined');
      } else if (i.kind !== 'relation-joined') {
        if (version !== i.version) this.enqueue(unit, 'relation-changed');
        else this.unqueue(unit);
      }
      (this.info.get(unit) as Info).version = version;
    }
    for (const unit of departed) {
      const i = this.info.get(unit);
      if (i === undefined) return unit;
      if (i.kind === 'relation-joined') this.unqueue(unit);
      else this.enqueue(unit, 'relation-departed');
    }
    return null;
  }

  /** The new transcript, or the kind of failure. */
  update(change: RelationUnitsChange): Transcript | 'first-departs' | 'unknown' {
    const t = this.copy();
    if (!t.started) {
      if (change.departed.length > 0) return 'first-departs';
      const absent = [...t.info.keys()].filter((u) => !change.changed.has(u as UnitName));
      t.started = true;
      if (t.apply(new Map(), absent.sort(byName)) !== null) return 'unknown';
    }
    return t.apply(change.changed, change.departed) === null ? t : 'unknown';
  }

  empty(): boolean {
    return !this.started || (this.queue.length === 0 && this.changedPending === '');
  }

  next(): string {
    if (this.empty()) return 'none';
    const unit = this.changedPending !== '' ? this.changedPending : (this.queue[0] as string);
    const i = this.info.get(unit) as Info;
    const kind = this.changedPending !== '' ? 'relation-changed' : i.kind;
    return `${kind} ${unit} ${i.version}`;
  }

  pop(): Transcript | 'empty' {
    if (this.empty()) return 'empty';
    const t = this.copy();
    if (t.changedPending !== '') {
      if (t.info.get(t.changedPending)?.kind === 'relation-changed') t.unqueue(t.changedPending);
      t.changedPending = '';
      return t;
    }
    const unit = t.queue[0] as string;
    const kind = (t.info.get(unit) as Info).kind;
    t.unqueue(unit);
    if (kind === 'relation-joined') {
      t.changedPending = unit;
      (t.info.get(unit) as Info).joined = true;
    } else if (kind === 'relation-departed') {
      t.info.delete(unit);
    }
    return t;
  }
}

const POOL = ['a/0', 'a/10', 'a/2', 'a-b/0', 'b/1', 'c/0'].map(unitName);
const R = relationId(3);

const show = (h: O.Option<HookInfo>): string =>
  O.isNone(h) ? 'none' : `${h.value.kind} ${h.value.remoteUnit} ${h.value.changeVersion}`;

const version = fc.integer({ min: 0, max: 2 }).map((n): ChangeVersion => changeVersion(n));
const unit = fc.constantFrom(...POOL);

const initial: fc.Arbitrary<State> = fc
  .record({
    members: fc.option(
      fc.uniqueArray(fc.tuple(unit, version), { maxLength: 4, selector: ([u]) => u }),
      {
        nil: null,
        freq: 8,
      },
    ),
    pending: fc.option(unit, { nil: '' as const, freq: 2 }),
  })
  .map(({ members, pending }) => ({
    relationId: R,
    members: members === null ? null : new Map(members),
    changedPending: pending,
  }));

type Op =
  | { readonly op: 'update'; readonly change: RelationUnitsChange }
  | { readonly op: 'pop' }
  | { readonly op: 'next' };

const change: fc.Arbitrary<RelationUnitsChange> = fc
  .record({
    changed: fc.uniqueArray(fc.tuple(unit, version), { maxLength: 3, selector: ([u]) => u }),
    departed: fc.oneof(
      { weight: 3, arbitrary: fc.constant([] as UnitName[]) },
      { weight: 2, arbitrary: fc.uniqueArray(unit, { minLength: 1, maxLength: 3, size: 'max' }) },
    ),
  })
  .map(({ changed, departed }) => ({ changed: new Map(changed), departed }));

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: change.map((c): Op => ({ op: 'update', change: c })) },
    { weight: 3, arbitrary: fc.constant<Op>({ op: 'pop' }) },
    { weight: 1, arbitrary: fc.constant<Op>({ op: 'next' }) },
  ),
  { minLength: 5, maxLength: 40, size: 'max' },
);

test('live source: never throws, and agrees with the transcript of behaviour.md', () => {
  const seen = {
    pendingNotMember: 0,
    firstDeparts: 0,
    unknownDeparture: 0,
    emptyPop: 0,
    joined: 0,
    changed: 0,
    departed: 0,
    equalVersionDrop: 0,
  };
  check(
    fc.property(initial, ops, (state, steps) => {
      try {
        const created = liveSource(state);
        const pendingOk =
          state.changedPending === '' || (state.members?.has(state.changedPending) ?? false);
        if (E.isLeft(created)) {
          seen.pendingNotMember++;
          return !pendingOk;
        }
        if (!pendingOk) return false;
        let s: LiveSource = created.right;
        let t = new Transcript(state);
        for (const step of steps) {
          if (step.op === 'update') {
            const got = liveUpdate(s, step.change);
            const want = t.update(step.change);
            if (typeof want === 'string') {
              if (E.isRight(got)) return false;
              const tag =
                want === 'first-departs' ? 'FirstChangeHasDepartures' : 'UnknownDeparture';
              if (got.left._tag !== tag) return false;
              if (want === 'first-departs') seen.firstDeparts++;
              else seen.unknownDeparture++;
              continue;
            }
            if (E.isLeft(got)) return false;
            // An equal version taking a queued unit out of the queue (the quirks).
            for (const [u, v] of step.change.changed) {
              const before = t.info.get(u);
              const queued =
                before?.kind === 'relation-changed' || before?.kind === 'relation-departed';
              if (queued && before?.version === v) seen.equalVersionDrop++;
            }
            s = got.right;
            t = want;
          } else if (step.op === 'pop') {
            const got = livePop(s);
            const want = t.pop();
            if (want === 'empty') {
              seen.emptyPop++;
              if (E.isRight(got) || got.left._tag !== 'EmptySource') return false;
              continue;
            }
            if (E.isLeft(got)) return false;
            const head = t.next();
            if (head.startsWith('relation-joined')) seen.joined++;
            if (head.startsWith('relation-changed')) seen.changed++;
            if (head.startsWith('relation-departed')) seen.departed++;
            s = got.right;
            t = want;
          }
          if (liveEmpty(s) !== t.empty() || show(liveNext(s)) !== t.next()) return false;
        }
        return true;
      } catch {
        return false;
      }
    }),
    1000,
  );
  for (const [what, count] of Object.entries(seen)) assert.ok(count > 0, `${what} never reached`);
});

test.run();
