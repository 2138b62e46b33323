import { isDeepStrictEqual } from 'node:util';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../properties/config.ts';
import { TraceEvent } from '../../spec/trace.ts';
import { createLineScanner } from '../../src/check/scan.ts';
import { traceLine } from '../../src/check/synthetic.ts';
import { HOOK_KINDS } from '../../src/model/hookKind.ts';
import { parseJson, stringifyJson } from '../../src/model/json.ts';

// The line scanner must never accept a line the full path (parse, then the
// TraceEvent codec) refuses, and must give the same event when it accepts.
// Lines are written in relspec's layout, with values the codec refuses as
// well as ones it takes, and then often damaged by one edit. The scanner
// reads bytes inside a larger buffer, between bytes that would complete a
// line cut short, so a scan that reads past the line's end shows.

const scanner = createLineScanner();
const AROUND = '"}]"}}';
const scanTraceLine = (line: string) => {
  const b = Buffer.from(`${AROUND}${line}${AROUND}`, 'utf8');
  return scanner(b, AROUND.length, b.length - AROUND.length);
};

const unit = fc.constantFrom('a/0', 'foo-bar/12', 'u3-x/45', 'A/0', 'a/01', '', 'a\\"/0', 'a-1/2');
const version = fc.oneof(
  fc.nat(5000),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(2 ** 53 - 1, 2 ** 53, 999_999_999_999_999, 1_000_000_000_000_000, 1.5),
  fc.constantFrom(2n ** 53n + 1n, 9_999_999_999_999_999n),
  fc.bigInt({ min: 0n, max: 2n ** 64n }),
);
const relation = fc.oneof(fc.nat(20), fc.constantFrom(-1, 1.5, 123_456_789_012_345_678n));
const kind = fc.constantFrom<string>(...HOOK_KINDS, 'relation-foo', 'joined');
const hook = fc.record({ kind, relationId: relation, remoteUnit: unit, changeVersion: version });
const broken = fc.record({
  kind: fc.constant('relation-broken'),
  relationId: relation,
  remoteUnit: fc.constantFrom('', 'a/0'),
  changeVersion: fc.constantFrom(0, 1, 0n),
});
const changed = fc
  .array(fc.tuple(unit, version), { maxLength: 3 })
  .map((es) => Object.fromEntries(es.map(([u, v]) => [u, { version: v }])));
const members = fc
  .array(fc.tuple(unit, version), { maxLength: 3 })
  .map((es) => Object.fromEntries(es));
const state = fc.record({
  relationId: relation,
  members: fc.oneof(members, fc.constant(null)),
  changedPending: fc.oneof(fc.constant(''), unit),
});
const event = fc.oneof(
  fc.record({ type: fc.constant('start'), state }),
  fc.record({ type: fc.constantFrom('hook', 'commit'), hook: fc.oneof(hook, broken) }),
  fc.record({
    type: fc.constant('change'),
    change: fc.record({ changed, departed: fc.array(unit, { maxLength: 3 }) }),
  }),
  fc.record({ type: fc.constantFrom('idle', 'crash', 'dying', 'start', 'nope') }),
);

const EDITS = [' ', '\\', '"', '0', '0', '0', '1', '-', '}', ']', ',', ':', 'x'];
type Edit = {
  readonly at: number;
  readonly op: 'delete' | 'insert' | 'replace';
  readonly c: string;
};
const edit = fc.option(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom('delete' as const, 'insert' as const, 'replace' as const),
    c: fc.constantFrom(...EDITS),
  }),
  { freq: 2 },
);

// Most edits land where a number begins or ends, or at a quote: where the
// scanner decides most.
const NUMBER_EDGE = /:(?=[0-9-])|[0-9](?=[,}\]])/g;
const QUOTE = /"/g;

const damage = (line: string, e: Edit | null): string => {
  if (e === null) return line;
  const spots = (re: RegExp) => [...line.matchAll(re)].map((m) => (m.index as number) + 1);
  const choice = e.at % 3;
  const pool = choice === 0 ? spots(NUMBER_EDGE) : choice === 1 ? spots(QUOTE) : [];
  const i =
    pool.length > 0
      ? (pool[Math.floor(e.at / 3) % pool.length] as number) - (e.at % 2)
      : e.at % (line.length + 1);
  if (e.op === 'delete') return line.slice(0, i) + line.slice(i + 1);
  if (e.op === 'insert') return line.slice(0, i) + e.c + line.slice(i);
  return line.slice(0, i) + e.c + line.slice(i + 1);
};

test('the line scanner agrees with the full decoding path', () => {
  const seen = { scanned: 0, scannedDamaged: 0, starts: 0, fullOnly: 0, bothRefused: 0 };
  check(
    fc.property(event, edit, (raw, e) => {
      const line = damage(stringifyJson(raw), e);
      const scanned = scanTraceLine(line);
      const parsed = parseJson(line);
      const full = parsed._tag === 'Right' ? TraceEvent.decode(parsed.right) : undefined;
      const fullEvent = full?._tag === 'Right' ? full.right : undefined;
      if (scanned === undefined) {
        if (fullEvent === undefined) seen.bothRefused++;
        else seen.fullOnly++;
        return true;
      }
      seen.scanned++;
      if (e !== null) seen.scannedDamaged++;
      if (scanned.type === 'start') seen.starts++;
      if (fullEvent === undefined)
        throw new Error(`scanner accepts what the codec refuses: ${line}`);
      if (!isDeepStrictEqual(scanned, fullEvent) || traceLine(scanned) !== traceLine(fullEvent)) {
        throw new Error(`scanner and codec disagree on ${line}`);
      }
      return true;
    }),
    5000,
  );
  assert.ok(seen.scanned > 500, `scanner accepted only ${seen.scanned}`);
  assert.ok(seen.scannedDamaged >= 10, `damaged lines scanned: ${seen.scannedDamaged}`);
  assert.ok(seen.starts > 50, `start lines scanned: ${seen.starts}`);
  assert.ok(seen.fullOnly > 100, `lines left to the full path: ${seen.fullOnly}`);
  assert.ok(seen.bothRefused > 100, `refusals reached ${seen.bothRefused}`);
});

test('the scanner takes the lines relspec writes', () => {
  const line =
    '{"type":"change","change":{"changed":{"a/0":{"version":3},"b/1":{"version":0}},"departed":["c/2"]}}';
  const e = scanTraceLine(line);
  assert.ok(e !== undefined && traceLine(e) === line);
  const h =
    '{"type":"commit","hook":{"kind":"relation-broken","relationId":4,"remoteUnit":"","changeVersion":0}}';
  assert.ok(scanTraceLine(h) !== undefined);
  assert.is(scanTraceLine(`${h} `), undefined);
  assert.is(scanTraceLine('{"type":"idle"}')?.type, 'idle');
  for (const s of [
    '{"type":"start","state":{"relationId":7,"members":{"a/0":3,"b/1":0},"changedPending":"b/1"}}',
    '{"type":"start","state":{"relationId":7,"members":{},"changedPending":""}}',
    '{"type":"start","state":{"relationId":7,"members":null,"changedPending":""}}',
  ]) {
    const e = scanTraceLine(s);
    assert.ok(e !== undefined && traceLine(e) === s, s);
  }
});

test.run();
