import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JUJU3_PHASES, scenarioArbitrary } from '../../src/juju3/conform/arbitrary.ts';
import { type Exchange, runScenario } from '../../src/juju3/conform/driver.ts';
import { sessionEndpoint } from '../../src/juju3/conform/endpoint.ts';
import { createJuju3Session } from '../../src/juju3/protocol/ops.ts';

// The generated scenarios of conform --profile juju-3 (default seed) reach
// every case the rules are about: a case never generated proves nothing.

const SEED = 20150312;
// The CLI's default number of runs per phase.
const RUNS = Number(process.env.RELSPEC_RUNS ?? 200);

type Hook = {
  kind: string;
  remoteUnit: string;
  departingUnit: string;
  changeVersion: unknown;
  relationId: number;
};

type Case = (x: Exchange, prev: readonly Exchange[]) => boolean;
const hookOf = (x: Exchange): Hook | undefined =>
  x.reference.ok ? (x.reference.result.hook as Hook | undefined) : undefined;
const kind =
  (k: string, extra: (h: Hook, x: Exchange) => boolean = () => true) =>
  (x: Exchange) => {
    const h = hookOf(x);
    return h !== undefined && h.kind === k && extra(h, x);
  };
const CASES: Record<string, Case> = {
  'relation-created': kind('relation-created'),
  'relation-joined': kind('relation-joined'),
  'unit relation-changed': kind('relation-changed', (h) => h.remoteUnit !== ''),
  'application relation-changed': kind('relation-changed', (h) => h.remoteUnit === ''),
  'owed relation-changed with version 0 (unit gone)': kind(
    'relation-changed',
    (h) => h.remoteUnit !== '' && h.changeVersion === 0,
  ),
  'relation-departed': kind('relation-departed'),
  'relation-departed by the local unit': kind(
    'relation-departed',
    (h) => h.departingUnit === 'wp/0',
  ),
  'relation-departed of a peer': kind('relation-departed', (h) => h.remoteUnit.startsWith('wp/')),
  'relation-broken': kind('relation-broken'),
  'relation-created after relation-broken (rejoin)': (x, prev) => {
    const h = hookOf(x);
    return (
      h?.kind === 'relation-created' &&
      prev.some(
        (p) => hookOf(p)?.kind === 'relation-broken' && hookOf(p)?.relationId === h.relationId,
      )
    );
  },
  'a choice between relations': (x) => (x.allowed?.length ?? 0) > 1,
  'a state read back': (x) =>
    x.request.op === 'rel.restore' && x.reference.ok && x.reference.result.error === undefined,
  'a resolver error': (x) =>
    x.request.op === 'rel.next' && x.reference.ok && typeof x.reference.result.error === 'string',
  'a refused commit (hardening)': (x) =>
    x.request.op === 'rel.commit' && x.reference.ok && x.reference.result.error !== undefined,
  'a YAML error': (x) =>
    x.request.op === 'state.decode' && x.reference.ok && x.reference.result.error !== undefined,
  'a Validate refusal': (x) =>
    x.request.op === 'validate' && x.reference.ok && x.reference.result.valid === false,
  'nothing due': (x) => x.reference.ok && x.reference.result.none === true,
};

test('the generated scenarios reach every case', async () => {
  const counts = new Map<string, number>(Object.keys(CASES).map((k) => [k, 0]));
  for (const phase of JUJU3_PHASES) {
    const scenarios = fc.sample(scenarioArbitrary(phase, 25), { seed: SEED, numRuns: RUNS });
    for (const s of scenarios) {
      const r = await runScenario(s, sessionEndpoint(createJuju3Session()), 'exact', '');
      assert.is(r.failure, undefined);
      for (const [i, x] of r.exchanges.entries())
        for (const [name, hit] of Object.entries(CASES))
          if (hit(x, r.exchanges.slice(0, i))) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  const missing = [...counts].filter(([, n]) => n === 0).map(([k]) => k);
  assert.equal(
    missing,
    [],
    `never generated (seed ${SEED}): ${missing.join(', ')}\n${[...counts].map(([k, n]) => `${k}: ${n}`).join('\n')}`,
  );
});

test.run();
