import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Level } from '../../src/juju3/conform/compare.ts';
import { sessionEndpoint } from '../../src/juju3/conform/endpoint.ts';
import { conformEndpoint } from '../../src/juju3/conform/run.ts';
import { MUTANTS, type Mutant, mutantSession } from '../impls/juju3/mutants.ts';

// Every single-rule mutant of the juju-3 reference is killed by the juju-3
// conformance run (fixtures, then the generated phases, default seed), in
// process so that the whole table stays within seconds. A hardening (relspec
// stricter than Juju) is only a failure at --level strict.

const RUNS = Number(process.env.RELSPEC_RUNS ?? 60);
const SEED = 20150312;
const HARDENING = /^J3-H-/;

const conform = async (m: Mutant, level: Level) => {
  const lines: string[] = [];
  const session = mutantSession(m);
  const r = await conformEndpoint(
    sessionEndpoint(session),
    {
      level,
      runs: RUNS,
      seed: SEED,
      maxSteps: 25,
      fixturesDir: 'fixtures/juju-3',
      failuresDir: '/tmp/relspec-juju3-kills',
      failFast: true,
    },
    (l) => lines.push(l),
  );
  return { ...r, lines };
};

for (const [id, m] of Object.entries(MUTANTS)) {
  const level: Level = HARDENING.test(id) ? 'strict' : 'exact';
  test(`conform --profile juju-3 --level ${level} kills the mutant of ${id}`, async () => {
    const r = await conform(m, level);
    assert.is(r.exitCode, 1, `mutant ${id} survived (seed ${SEED}):\n${r.lines.join('\n')}`);
    assert.ok(
      r.failures.some((f) => f.rule !== ''),
      `${id}: a failure without a rule id`,
    );
  });
}

test('a hardening mutant passes at exact and guarantees, with an advisory', async () => {
  for (const [id, m] of Object.entries(MUTANTS).filter(([x]) => HARDENING.test(x))) {
    for (const level of ['exact', 'guarantees'] as const) {
      const r = await conform(m, level);
      assert.is(r.exitCode, 0, `${id} at ${level}:\n${r.lines.join('\n')}`);
      assert.ok(r.advisories > 0, `${id} at ${level}: no advisory`);
    }
  }
});

test('the reference itself conforms at every level', async () => {
  for (const level of ['exact', 'strict', 'guarantees'] as const) {
    const r = await conform({}, level);
    assert.is(r.exitCode, 0, `level ${level}:\n${r.lines.join('\n')}`);
  }
});

test.run();
