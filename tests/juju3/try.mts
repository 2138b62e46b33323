import { sessionEndpoint } from '../../src/juju3/conform/endpoint.ts';
import { conformEndpoint } from '../../src/juju3/conform/run.ts';
import { createJuju3Session } from '../../src/juju3/protocol/ops.ts';

const level = (process.argv[2] ?? 'exact') as 'exact';
const r = await conformEndpoint(
  sessionEndpoint(createJuju3Session()),
  {
    level,
    runs: Number(process.argv[3] ?? 50),
    seed: 1,
    maxSteps: 25,
    fixturesDir: null,
    failuresDir: '/tmp/j3fail',
    failFast: false,
  },
  console.log,
);
console.log(r.exitCode, r.advisories);
