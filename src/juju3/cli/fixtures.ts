import { join } from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { stringifyJsonPretty } from '../../model/json.ts';
import { JUJU3_PHASES, scenarioArbitrary } from '../conform/arbitrary.ts';
import { runScenario } from '../conform/driver.ts';
import { sessionEndpoint } from '../conform/endpoint.ts';
import { CURATED } from '../fixtures/curated.ts';
import { eventsOf } from '../fixtures/events.ts';
import {
  fixtureOf,
  type Juju3Fixture,
  loadJuju3Fixtures,
  writeJuju3Fixtures,
} from '../fixtures/fixture.ts';
import { createJuju3Session } from '../protocol/ops.ts';
import { JUJU3_FIXTURES } from './conform.ts';

/** Record every curated scenario on the reference. */
export const recordCurated = async (): Promise<E.Either<string, Juju3Fixture[]>> => {
  const out: Juju3Fixture[] = [];
  for (const c of CURATED) {
    const run = await runScenario(c.scenario, sessionEndpoint(createJuju3Session()), 'exact', '');
    if (run.failure !== undefined)
      return E.left(`${c.id}: ${run.failure.rule}: ${run.failure.message}`);
    out.push(fixtureOf(c, run.exchanges));
  }
  return E.right(out);
};

export const curateJuju3 = async (
  dir: string | undefined,
  out: (l: string) => void,
  err: (l: string) => void,
): Promise<number> => {
  const recorded = await recordCurated();
  if (E.isLeft(recorded)) {
    err(`cannot record: ${recorded.left}`);
    return 1;
  }
  const target = dir ?? JUJU3_FIXTURES;
  await writeJuju3Fixtures(target, recorded.right);
  out(`wrote ${recorded.right.length} fixtures to ${target}`);
  return 0;
};

/** `relspec fixtures generate --profile juju-3`: scenarios of every phase, recorded on the reference. */
export const generateJuju3 = async (
  o: { out: string; seed: number; count: number },
  out: (l: string) => void,
  err: (l: string) => void,
): Promise<number> => {
  const fixtures: Juju3Fixture[] = [];
  const phases = JUJU3_PHASES;
  const perPhase = Math.ceil(o.count / phases.length);
  for (const phase of phases) {
    for (const [n, s] of fc
      .sample(scenarioArbitrary(phase, 25), { seed: o.seed, numRuns: perPhase })
      .entries()) {
      if (fixtures.length >= o.count) break;
      const run = await runScenario(s, sessionEndpoint(createJuju3Session()), 'exact', '');
      if (run.failure !== undefined) {
        err(`cannot record: ${run.failure.rule}: ${run.failure.message}`);
        return 1;
      }
      const id = `gen-${phase.replace(/ /g, '-')}-${o.seed}-${n + 1}`;
      fixtures.push(
        fixtureOf(
          { id, description: `generated (${phase}, seed ${o.seed})`, rules: [], clauses: [] },
          run.exchanges,
        ),
      );
    }
  }
  await writeJuju3Fixtures(o.out, fixtures);
  out(`wrote ${fixtures.length} fixtures to ${o.out}`);
  return 0;
};

/** `relspec fixtures export --profile juju-3 --format events`. */
export const exportEvents = async (
  o: { profile: string; format: string; id?: string; dir?: string },
  out: (l: string) => void,
  err: (l: string) => void,
): Promise<number> => {
  if (o.profile !== 'juju-3' || o.format !== 'events') {
    err('event export exists for --profile juju-3 --format events only');
    return 2;
  }
  const dir = o.dir ?? JUJU3_FIXTURES;
  const loaded = await loadJuju3Fixtures(dir);
  if (E.isLeft(loaded)) {
    for (const p of loaded.left) err(p);
    return 2;
  }
  const chosen = o.id === undefined ? loaded.right : loaded.right.filter((f) => f.id === o.id);
  if (chosen.length === 0) {
    err(`no fixture with id ${JSON.stringify(o.id)} in ${join(dir)}`);
    return 2;
  }
  const value =
    o.id === undefined
      ? Object.fromEntries(chosen.map((f) => [f.id, eventsOf(f)]))
      : eventsOf(chosen[0] as Juju3Fixture);
  out(stringifyJsonPretty(value).trimEnd());
  return 0;
};
