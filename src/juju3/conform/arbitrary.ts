import fc from 'fast-check';
import type { Juju3Phase } from './phaseNames.ts';
import type { Action, RelSpec, Scenario } from './world.ts';

export { JUJU3_PHASES, type Juju3Phase } from './phaseNames.ts';

const version = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 0n, max: 4n }) },
  { weight: 1, arbitrary: fc.constant(2n ** 63n - 1n) },
);

const relations = (max: number): fc.Arbitrary<RelSpec[]> =>
  fc
    .array(fc.record({ peer: fc.boolean(), created: fc.boolean() }), {
      minLength: 1,
      maxLength: max,
    })
    .map((rs) =>
      rs.map((r, i) => ({
        relationId: i === 0 ? 0 : i * 3 + 1,
        peer: i === 0 ? false : r.peer,
        created: r.created,
      })),
    );

const actions = (rels: number, phase: Juju3Phase, maxSteps: number): fc.Arbitrary<Action[]> => {
  const rel = fc.nat({ max: rels - 1 });
  // Few names, so that units come back and leave; 10 sorts before 2 (Go byte order).
  const unit = fc.constantFrom(0, 1, 2, 3, 10);
  const remote: fc.WeightedArbitrary<Action>[] = [
    { weight: 6, arbitrary: fc.record({ a: fc.constant('join' as const), rel, unit, version }) },
    { weight: 5, arbitrary: fc.record({ a: fc.constant('leave' as const), rel, unit }) },
    { weight: 3, arbitrary: fc.record({ a: fc.constant('version' as const), rel, unit, version }) },
    { weight: 3, arbitrary: fc.record({ a: fc.constant('appVersion' as const), rel, version }) },
    { weight: 1, arbitrary: fc.record({ a: fc.constant('relDying' as const), rel }) },
    { weight: 2, arbitrary: fc.record({ a: fc.constant('suspend' as const), rel }) },
    { weight: 3, arbitrary: fc.record({ a: fc.constant('resume' as const), rel }) },
    { weight: 1, arbitrary: fc.constant({ a: 'unitDying' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({
        a: fc.constant('appLife' as const),
        life: fc.constantFrom('alive' as const, 'dying' as const, 'dead' as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ a: 'leader' as const }) },
  ];
  const agent: fc.WeightedArbitrary<Action>[] =
    phase === 'one relation'
      ? [
          {
            weight: 10,
            arbitrary: fc.record({ a: fc.constant('runRel' as const), rel: fc.constant(0) }),
          },
        ]
      : [
          { weight: 8, arbitrary: fc.constant({ a: 'run' as const }) },
          { weight: 3, arbitrary: fc.record({ a: fc.constant('runRel' as const), rel }) },
          { weight: 2, arbitrary: fc.constant({ a: 'settle' as const }) },
        ];
  const extra: fc.WeightedArbitrary<Action>[] =
    phase === 'restarts'
      ? [
          { weight: 2, arbitrary: fc.constant({ a: 'restart' as const }) },
          { weight: 2, arbitrary: fc.constant({ a: 'crash' as const }) },
        ]
      : phase === 'bad input'
        ? [
            {
              weight: 4,
              arbitrary: fc.record({
                a: fc.constant('badName' as const),
                rel,
                name: fc.constantFrom('', 'Bad/1', 'db0/01', 'db0', '-x/1'),
              }),
            },
            { weight: 1, arbitrary: fc.record({ a: fc.constant('badCommit' as const), rel }) },
            {
              weight: 1,
              arbitrary: fc.record({
                a: fc.constant('badYaml' as const),
                text: fc.constantFrom(
                  '',
                  '[1, 2]',
                  'id: x',
                  'members: 3',
                  'members:\n  a/0: z\n',
                  'id: 1\nid: 2\n',
                  ': :',
                ),
              }),
            },
            {
              weight: 3,
              arbitrary: fc.record({
                a: fc.constant('probe' as const),
                kind: fc.nat({ max: 4 }),
                unit: fc.nat({ max: 6 }),
                version,
              }),
            },
          ]
        : [
            {
              weight: 1,
              arbitrary: fc.record({
                a: fc.constant('probe' as const),
                kind: fc.nat({ max: 4 }),
                unit: fc.nat({ max: 6 }),
                version: fc.bigInt({ min: 0n, max: 3n }),
              }),
            },
          ];
  return fc.array(fc.oneof(...remote, ...agent, ...extra), { maxLength: maxSteps });
};

export const scenarioArbitrary = (phase: Juju3Phase, maxSteps: number): fc.Arbitrary<Scenario> =>
  relations(phase === 'one relation' ? 1 : 3).chain((rs) =>
    actions(rs.length, phase, maxSteps).map((acts) => ({
      relations: rs,
      // Every scenario ends by letting the agent settle, so idle is checked.
      actions: [
        ...acts,
        {
          a: phase === 'one relation' ? ('runRel' as const) : ('settle' as const),
          rel: 0,
        } as Action,
        ...(phase === 'one relation'
          ? Array.from({ length: 30 }, () => ({ a: 'runRel', rel: 0 }) as Action)
          : []),
      ],
    })),
  );
