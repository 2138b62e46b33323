import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sessionEndpoint } from '../../src/juju3/conform/endpoint.ts';
import { conformEndpoint } from '../../src/juju3/conform/run.ts';
import { REFERENCE_RULES } from '../../src/juju3/next.ts';
import { createJuju3Session, REFERENCE_PARTS } from '../../src/juju3/protocol/ops.ts';
import { MUTANTS } from '../impls/juju3/mutants.ts';

// Every single-rule mutant of the juju-3 reference is killed by the juju-3
// conformance run (fixtures, then the generated phases, default seed), in
// process so that the whole table stays within a few seconds.

const RUNS = Number(process.env.RELSPEC_RUNS ?? 60);

for (const [id, m] of Object.entries(MUTANTS)) {
  test(`conform --profile juju-3 kills the mutant of ${id}`, async () => {
    const impl = sessionEndpoint(
      createJuju3Session(m.rules ?? REFERENCE_RULES, { ...REFERENCE_PARTS, ...m.parts }),
    );
    const lines: string[] = [];
    const r = await conformEndpoint(
      impl,
      {
        level: 'strict',
        runs: RUNS,
        seed: 20150312,
        maxSteps: 25,
        fixturesDir: 'fixtures/juju-3',
        failuresDir: '/tmp/relspec-juju3-kills',
        failFast: true,
      },
      (l) => lines.push(l),
    );
    assert.is(r.exitCode, 1, `mutant ${id} survived (seed 20150312):\n${lines.join('\n')}`);
  });
}

test('the reference itself conforms at every level', async () => {
  for (const level of ['exact', 'strict', 'guarantees'] as const) {
    const r = await conformEndpoint(
      sessionEndpoint(createJuju3Session()),
      {
        level,
        runs: RUNS,
        seed: 20150312,
        maxSteps: 25,
        fixturesDir: 'fixtures/juju-3',
        failuresDir: '/tmp/relspec-juju3-kills',
        failFast: false,
      },
      () => {},
    );
    assert.is(r.exitCode, 0, `level ${level}`);
  }
});

test.run();
