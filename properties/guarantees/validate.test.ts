import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { refusal } from '../../spec/model/validity.ts';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../../src/model/hook.ts';
import { HOOK_KINDS } from '../../src/model/hookKind.ts';
import { relationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { validate } from '../../src/state/validate.ts';
import { scenarioArb } from '../arbitraries/scenario.ts';
import { storedStateArb } from '../arbitraries/state.ts';
import { nthUnit } from '../arbitraries/units.ts';
import { check } from '../config.ts';
import { Coverage, forScenarios, runScenario } from './support.ts';

test('G9c: every hook next() offers passes Validate against the persisted state', () => {
  let offered = 0;
  forScenarios(scenarioArb(), 300, (scenario) => {
    const { result } = runScenario(scenario);
    for (const { state, hook } of result.offered) {
      offered++;
      const v = validate(state, hook);
      if (E.isLeft(v))
        throw new Error(`offered ${hook.kind} ${hook.remoteUnit}: ${v.left.message}`);
    }
  });
  assert.ok(offered > 0);
});

// States and hooks close to each other: the hook's unit is usually a member
// or the pending one, the relation usually the same, broken states happen.
const R = relationId(7);
const stateArb: fc.Arbitrary<State> = fc
  .tuple(storedStateArb({ members: 3 }, fc.constant(R)), fc.nat(9))
  .map(([s, n]) => (n === 0 ? { ...s, members: null, changedPending: '' } : s));

const hookFor = (s: State): fc.Arbitrary<HookInfo> =>
  fc
    .record({
      kind: fc.constantFrom(...HOOK_KINDS),
      unit: fc.oneof(
        fc.constantFrom(...[...(s.members?.keys() ?? [nthUnit(0)]), nthUnit(0)]),
        fc.nat(8).map(nthUnit),
      ),
      other: fc.nat(12),
      version: fc.bigInt({ min: -2n, max: 12n }),
    })
    .map(({ kind, unit, other, version }) => {
      const rel = other === 0 ? relationId(8) : R;
      return kind === 'relation-broken'
        ? brokenHook(rel)
        : unitHook(kind, rel, unit, changeVersion(version));
    });

test('G1, G2, G3a, G3b, G4a, G4b: a hook the model forbids, Validate refuses with the behaviour.md message, and vice versa', () => {
  const seen = new Coverage();
  check(
    fc.property(
      stateArb.chain((s) => fc.tuple(fc.constant(s), hookFor(s))),
      ([state, hook]) => {
        const model = refusal(state, hook);
        const actual = validate(state, hook);
        seen.add([model?.clause ?? 'allowed']);
        if (model === null) {
          if (E.isLeft(actual))
            throw new Error(`model allows, Validate refuses: ${actual.left.message}`);
        } else {
          if (E.isRight(actual))
            throw new Error(`model forbids (${model.clause}), Validate allows`);
          assert.is(actual.left.message, model.message);
        }
      },
    ),
    3000,
  );
  console.log(seen.table('model verdicts on random (state, hook) pairs'));
  for (const c of ['allowed', 'G1', 'G2', 'G3a', 'G3b', 'G4a', 'G4b']) {
    assert.ok(seen.count(c) > 0, `${c} was reached`);
  }
});

test.run();
