import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../properties/config.ts';
import { checkTraceChunks, checkTraceText } from '../../src/check/checker.ts';
import { exitCode } from '../../src/check/report.ts';
import { jsonish, mutateText } from './arbitraries.ts';

// `check` over malformed traces: a verdict (0, 1 or 2), never an exception,
// and the same verdict however the input is cut into chunks.

const EVENTS = [
  '{"type":"start","state":{"relationId":7,"members":{},"changedPending":""}}',
  '{"type":"change","change":{"changed":{"a/0":{"version":1}}}}',
  '{"type":"hook","hook":{"kind":"relation-joined","relationId":7,"remoteUnit":"a/0","changeVersion":1}}',
  '{"type":"commit","hook":{"kind":"relation-joined","relationId":7,"remoteUnit":"a/0","changeVersion":1}}',
  '{"type":"idle"}',
  '{"type":"crash"}',
  '{"type":"dying"}',
];

const line = fc.oneof(
  fc.constantFrom(...EVENTS).chain(mutateText),
  jsonish.map((v) => {
    try {
      return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)) ?? '';
    } catch {
      return '';
    }
  }),
  fc.nat(200).map((k) => ' '.repeat(k)),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

const trace = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'));

test('fuzz: check on malformed traces', async () => {
  const cases: { text: string; cuts: number[] }[] = [];
  check(
    fc.property(trace, fc.array(fc.nat(), { maxLength: 4 }), ([lines, eol], cuts) => {
      const text = lines.join(eol);
      const result = checkTraceText(text);
      assert.ok([0, 1, 2].includes(exitCode(result)));
      cases.push({ text, cuts });
    }),
    300,
  );
  // The streaming reader must agree, whatever the chunks.
  for (const { text, cuts } of cases.slice(0, 100)) {
    const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
    const chunks = [0, ...points, text.length]
      .slice(1)
      .map((end, i, all) => text.slice(i === 0 ? 0 : (all[i - 1] as number), end));
    async function* gen() {
      yield* chunks;
    }
    const streamed = await checkTraceChunks(gen());
    assert.equal(exitCode(streamed), exitCode(checkTraceText(text)), JSON.stringify(text));
  }
});

test.run();
