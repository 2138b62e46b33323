import { join } from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { canonicalText } from '../../fixtures/canonical.ts';
import { checkHello } from '../../runner/hello.ts';
import {
  fixtureOf,
  loadJuju3Fixtures,
  replayFixture,
  writeJuju3Fixtures,
} from '../fixtures/fixture.ts';
import { JUJU3_PHASES, type Juju3Phase, scenarioArbitrary } from './arbitrary.ts';
import type { Level } from './compare.ts';
import { type RunResult, runScenario } from './driver.ts';
import { type Endpoint, processEndpoint } from './endpoint.ts';
import type { Scenario } from './world.ts';

export interface Juju3ConformOptions {
  readonly level: Level;
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly fixturesDir: string | null;
  readonly failuresDir: string;
  readonly failFast: boolean;
  readonly phase?: string;
  /** Replay one counterexample: the fast-check path printed with a failure (with --seed, --phase). */
  readonly path?: string;
}

export interface Juju3ConformResult {
  readonly exitCode: 0 | 1 | 2;
  readonly failures: readonly {
    readonly phase: string;
    readonly rule: string;
    readonly message: string;
  }[];
  readonly advisories: number;
}

const describeRequest = (r: Record<string, unknown>) => {
  const { op, ...rest } = r;
  return `${String(op)} ${canonicalText(rest)}`;
};

/** The shrunk counterexample as numbered steps: request, then both answers where they differ. */
export const describeRun = (run: RunResult): string[] =>
  run.exchanges.map((x, i) => {
    const same = canonicalText(x.reference) === canonicalText(x.implementation);
    return `  ${i + 1}. ${describeRequest(x.request)}\n       -> ${canonicalText(x.implementation)}${same ? '' : `\n       reference: ${canonicalText(x.reference)}${x.allowed !== undefined && x.allowed.length > 1 ? ` (any of ${x.allowed.length})` : ''}`}`;
  });

/** Run the juju-3 conformance suite against an endpoint (hello already checked). */
export const conformEndpoint = async (
  impl: Endpoint,
  options: Juju3ConformOptions,
  out: (line: string) => void,
): Promise<Juju3ConformResult> => {
  const failures: { phase: string; rule: string; message: string }[] = [];
  let advisories = 0;
  let counter = 0;
  if (options.fixturesDir !== null) {
    const loaded = await loadJuju3Fixtures(options.fixturesDir);
    if (E.isLeft(loaded)) {
      for (const p of loaded.left) out(p);
      return { exitCode: 2, failures, advisories };
    }
    let bad = 0;
    for (const f of loaded.right) {
      counter += 1;
      const { problem, advisory } = await replayFixture(f, impl, `f${counter}-`, options.level);
      if (advisory !== undefined) {
        advisories += 1;
        out(`advisory: fixture ${advisory}`);
      }
      if (problem !== undefined) {
        bad += 1;
        failures.push({ phase: 'fixtures', rule: f.rules[0] ?? '', message: problem });
        out(`FAIL fixture ${problem}`);
      }
    }
    out(`fixtures: ${loaded.right.length - bad} of ${loaded.right.length} replay as recorded`);
    if (bad > 0 && options.failFast) return { exitCode: 1, failures, advisories };
  }
  const phases = JUJU3_PHASES.filter((p) => options.phase === undefined || p === options.phase);
  for (const phase of phases) {
    if (phase === 'bad input' && options.level === 'guarantees') continue;
    const found: RunResult[] = [];
    const property = fc.asyncProperty(
      scenarioArbitrary(phase as Juju3Phase, options.maxSteps),
      async (s: Scenario) => {
        counter += 1;
        const run = await runScenario(s, impl, options.level, `s${counter}-`);
        advisories += run.advisories.length;
        if (run.failure !== undefined) {
          found.push(run);
          return false;
        }
        return true;
      },
    );
    const details = await fc.check(property, {
      seed: options.seed,
      ...(options.path !== undefined ? { path: options.path } : {}),
      numRuns: options.runs,
      endOnFailure: false,
    });
    if (!details.failed) {
      out(`phase ${phase}: ${details.numRuns} scenarios conform`);
      continue;
    }
    const last = found[found.length - 1];
    const failure = last?.failure ?? { rule: '?', message: String(details.errorInstance) };
    failures.push({ phase, rule: failure.rule, message: failure.message });
    out(
      `FAIL phase ${phase} (seed ${options.seed}, path ${details.counterexamplePath ?? '?'}): ${failure.rule}: ${failure.message}`,
    );
    if (last !== undefined) {
      out(`counterexample (${last.exchanges.length} steps, shrunk ${details.numShrinks} times):`);
      for (const line of describeRun(last)) out(line);
      const id = `failure-${phase.replace(/ /g, '-')}-${options.seed}`;
      await writeJuju3Fixtures(options.failuresDir, [
        fixtureOf(
          {
            id,
            description: `${failure.rule}: ${failure.message}`,
            rules: [failure.rule],
            clauses: [],
          },
          last.exchanges,
        ),
      ]);
      out(`written: ${join(options.failuresDir, `${id}.json`)}`);
      out(
        `replay: relspec conform --profile juju-3 --level ${options.level} --phase '${phase}' --seed ${options.seed} --path ${details.counterexamplePath ?? '?'}`,
      );
    }
    if (options.failFast) break;
  }
  if (advisories > 0)
    out(`advisories: ${advisories} hardening differences (relspec is stricter than Juju there)`);
  return { exitCode: failures.length > 0 ? 1 : 0, failures, advisories };
};

/** `relspec conform --profile juju-3`: start the implementation, say hello, run the suite. */
export const runJuju3Conform = async (
  command: string,
  timeoutMs: number,
  options: Juju3ConformOptions,
  out: (line: string) => void,
): Promise<0 | 1 | 2> => {
  const { endpoint, client } = processEndpoint(command, timeoutMs);
  try {
    const hello = await checkHello(client, ['resolver']);
    if (E.isLeft(hello)) {
      out(hello.left);
      return 2;
    }
    const again = await client.call({ op: 'hello' });
    if (E.isRight(again) && again.right.ok && again.right.result.profile !== 'juju-3') {
      out(
        `hello failed: implementation ${JSON.stringify(hello.right.implementation)} does not announce "profile": "juju-3"`,
      );
      return 2;
    }
    out(`implementation: ${hello.right.implementation}, profile juju-3, level ${options.level}`);
    return (await conformEndpoint(endpoint, options, out)).exitCode;
  } finally {
    await endpoint.close();
  }
};
