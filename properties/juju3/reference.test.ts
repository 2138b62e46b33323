import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalText } from '../../src/fixtures/canonical.ts';
import { commit } from '../../src/juju3/commit.ts';
import { nextHook } from '../../src/juju3/next.ts';
import type { LocalUnit, Relation, RelationState, RemoteRelation } from '../../src/juju3/types.ts';
import { validate, validateHookInfo } from '../../src/juju3/validate.ts';
import { encodeState } from '../../src/juju3/wire.ts';
import { decodeStateYaml, encodeStateYaml } from '../../src/juju3/yamlState.ts';

// Properties of the juju-3 reference that hold for every state and snapshot,
// not only the generated scenarios. Fixed seed; RELSPEC_RUNS scales.

const RUNS = Number(process.env.RELSPEC_RUNS ?? 300);
const SEED = 20150312;

const unit = fc.constantFrom('db/0', 'db/1', 'db/10', 'db/2', 'web-app/3');
const version = fc.oneof(fc.bigInt({ min: 0n, max: 3n }), fc.constant(2n ** 63n - 1n));
const versions = (keys: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(keys, version), { maxLength: 4 }).map((kv) => new Map(kv));
const stateArb: fc.Arbitrary<RelationState> = fc
  .record({
    relationId: fc.constantFrom(0, 7),
    members: versions(unit),
    applicationMembers: versions(fc.constantFrom('db', 'web-app')),
    changedPending: fc.constantFrom('', 'db/0', 'db/10'),
  })
  .map((s) => ({
    ...s,
    relationId: 7,
    // The agent only ever owes relation-changed to a member.
    members: s.changedPending === '' ? s.members : new Map(s.members).set(s.changedPending, 1n),
  }));
const localArb: fc.Arbitrary<LocalUnit> = fc.record({
  life: fc.constantFrom('alive' as const, 'dying' as const),
  leader: fc.boolean(),
  applicationLife: fc.constantFrom('alive' as const, 'dying' as const, 'dead' as const),
});
const remoteArb: fc.Arbitrary<RemoteRelation> = fc.record({
  life: fc.constantFrom('alive' as const, 'dying' as const),
  suspended: fc.boolean(),
  members: versions(unit),
  applicationMembers: versions(fc.constantFrom('db', 'web-app')),
});
const relationArb: fc.Arbitrary<Relation> = fc
  .record({
    created: fc.boolean(),
    peer: fc.boolean(),
    state: stateArb,
  })
  .map(({ created, peer, state }) => ({
    info: { relationId: 7, peer, localUnit: 'wp/0', remoteApp: 'db' },
    created,
    // Until relation-created has run nothing else has (J3-CREATED-FIRST): the state is fresh.
    state: created
      ? state
      : { relationId: 7, members: new Map(), applicationMembers: new Map(), changedPending: '' },
  }));

const same = (a: RelationState | null, b: RelationState | null) =>
  canonicalText(a === null ? null : encodeState(a)) ===
  canonicalText(b === null ? null : encodeState(b));

test('the state YAML reads back as the state it was written from (J3-CODEC-KEYS, J3-CODEC-DEFAULTS)', () => {
  fc.assert(
    fc.property(stateArb, (s) => {
      const back = decodeStateYaml(encodeStateYaml(s));
      return E.isRight(back) && same(back.right, s);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('every hook the resolver gives is accepted by Validate and hook.Info.Validate', () => {
  let hooks = 0;
  fc.assert(
    fc.property(relationArb, localArb, remoteArb, (rel, local, remote) => {
      const { relation, outcome } = nextHook(rel, local, remote);
      if (outcome._tag !== 'Hook' || relation.state === null) return true;
      hooks += 1;
      return (
        E.isRight(validate(relation.state, outcome.hook)) &&
        E.isRight(validateHookInfo(outcome.hook))
      );
    }),
    { seed: SEED, numRuns: RUNS },
  );
  assert.ok(hooks > RUNS / 2, `only ${hooks} hooks generated`);
});

test('asking twice gives the same hook; committing it twice is committing it once (J3-NEXT, J3-COMMIT-IDEMPOTENT)', () => {
  fc.assert(
    fc.property(relationArb, localArb, remoteArb, (rel, local, remote) => {
      const a = nextHook(rel, local, remote);
      const b = nextHook(a.relation, local, remote);
      if (canonicalText(a.outcome) !== canonicalText(b.outcome)) return false;
      if (a.outcome._tag !== 'Hook') return true;
      const h = a.outcome.hook;
      const once = commit(a.relation, h);
      const twice = E.flatMap((r: Relation) => commit(r, h))(once);
      return E.isRight(once) && E.isRight(twice) && same(once.right.state, twice.right.state);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('running the resolver to the end settles every relation: nothing is due after at most a few dozen hooks', () => {
  fc.assert(
    fc.property(relationArb, localArb, remoteArb, (rel, local, remote) => {
      let r = rel;
      for (let n = 0; n < 40; n++) {
        const { relation, outcome } = nextHook(r, local, remote);
        if (outcome._tag !== 'Hook') return outcome._tag === 'None';
        const next = commit(relation, outcome.hook);
        if (E.isLeft(next)) return false;
        r = next.right;
      }
      return false;
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test.run();
