import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../properties/config.ts';
import { TraceEvent } from '../../spec/trace.ts';
import { decodeTraceEventFast } from '../../src/check/fastDecode.ts';
import { traceLine } from '../../src/check/synthetic.ts';
import { parseJson, stringifyJson } from '../../src/model/json.ts';

// The checker's fast decoding path must never accept what the io-ts codec
// refuses, and must give the same event when it accepts.

const unit = fc.constantFrom(
  'a/0',
  'foo-bar/12',
  'b2/7',
  'A/0',
  'a/01',
  '',
  'x',
  'a-1/2',
  '__proto__',
);
const version = fc.oneof(
  fc.integer(),
  fc.constantFrom(1.5, -0, '3', null, 2 ** 53, 1e300),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
);
const relation = fc.oneof(fc.integer({ min: -3, max: 9 }), fc.constantFrom(1.5, -0, '7', null));
const kind = fc.constantFrom(
  'relation-joined',
  'relation-changed',
  'relation-departed',
  'relation-broken',
  'relation-foo',
);
const hook = fc.oneof(
  fc.record(
    { kind, relationId: relation, remoteUnit: unit, changeVersion: version },
    { requiredKeys: [] },
  ),
  fc.record({
    kind: fc.constant('relation-broken'),
    relationId: relation,
    remoteUnit: fc.constantFrom('', 'a/0'),
    changeVersion: fc.constantFrom(0, 1, -0, 0n),
  }),
  fc.constantFrom(null, [], 'x'),
);
const record = <T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>) =>
  fc.array(fc.tuple(key, value), { maxLength: 3 }).map((es) => Object.fromEntries(es));
const change = fc.oneof(
  fc.record(
    {
      changed: fc.oneof(
        record(unit, fc.oneof(fc.record({ version }), fc.constant(null))),
        fc.constantFrom(null, []),
      ),
      departed: fc.oneof(fc.array(unit, { maxLength: 3 }), fc.constantFrom(null, 'a/0')),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, []),
);
const state = fc.oneof(
  fc.record(
    {
      relationId: relation,
      members: fc.oneof(record(unit, version), fc.constantFrom(null, [])),
      changedPending: unit,
    },
    { requiredKeys: [] },
  ),
  fc.constant(null),
);
const type = fc.constantFrom('start', 'change', 'hook', 'commit', 'crash', 'dying', 'idle', 'nope');
const event = fc.oneof(
  fc.record({ type, state, change, hook }, { requiredKeys: ['type'] }),
  fc.constantFrom(null, [], 3, 'idle'),
);

test('fast decoding agrees with the TraceEvent codec (never more lenient, same value)', () => {
  const seen = { fastAccepted: 0, codecOnly: 0, bothRefused: 0 };
  check(
    fc.property(event, (raw) => {
      // Through text, as the checker sees it.
      const parsed = parseJson(stringifyJson(raw));
      if (parsed._tag === 'Left') return true;
      const fast = decodeTraceEventFast(parsed.right);
      const slow = TraceEvent.decode(parsed.right);
      if (fast !== undefined) {
        seen.fastAccepted++;
        return slow._tag === 'Right' && traceLine(slow.right) === traceLine(fast);
      }
      if (slow._tag === 'Right') seen.codecOnly++;
      else seen.bothRefused++;
      return true;
    }),
    3000,
  );
  assert.ok(seen.fastAccepted > 100, `fast path accepted only ${seen.fastAccepted}`);
  assert.ok(seen.bothRefused > 100, `refusals reached ${seen.bothRefused}`);
});

test.run();
