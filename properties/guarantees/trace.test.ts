import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTrace } from '../../spec/model/monitor.ts';
import { TraceEvent } from '../../spec/trace.ts';
import { decodeWith } from '../../src/model/decode.ts';
import { parseJson, stringifyJson } from '../../src/model/json.ts';
import { breakingScenarioArb, scenarioArb } from '../arbitraries/scenario.ts';
import { MUTANTS } from './mutants/index.ts';
import { forScenarios, runScenario } from './support.ts';

// What the trace checker reads is what the simulation wrote: every trace,
// written as JSON Lines with the TraceEvent codec and read back, gives the
// same verdict (int64 versions and large relation ids included).

const decode = decodeWith(TraceEvent);

const roundTrip = (trace: readonly TraceEvent[]): TraceEvent[] =>
  trace
    .map((e) => stringifyJson(TraceEvent.encode(e)))
    .join('\n')
    .split('\n')
    .map((line, i) => {
      const read = E.flatMap(parseJson(line), (u) => decode(u));
      if (E.isLeft(read)) throw new Error(`line ${i + 1}: ${read.left.message}`);
      return read.right;
    });

test('T: a trace written as JSON Lines and read back gets the same verdict', () => {
  const arbs = [scenarioArb(), breakingScenarioArb('A3'), breakingScenarioArb('A4')];
  let violations = 0;
  for (const arb of arbs) {
    forScenarios(arb, 30, (scenario) => {
      for (const ops of [undefined, MUTANTS[3]?.ops]) {
        const { result, verdict } = runScenario(scenario, ops === undefined ? {} : { ops });
        if (!verdict.ok) violations++;
        assert.equal(checkTrace(roundTrip(result.trace)), verdict);
      }
    });
  }
  assert.ok(violations > 0, 'some read-back traces have violations');
});

test.run();
