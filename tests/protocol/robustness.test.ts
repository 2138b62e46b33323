import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../properties/config.ts';
import { INT64_MAX, INT64_MIN } from '../../src/model/int64.ts';
import { parseJson, stringifyJson } from '../../src/model/json.ts';
import {
  createReferenceSession,
  handleLine,
  isPromise,
  type Session,
  type Step,
} from '../../src/protocol/index.ts';

// Properties of the protocol core over arbitrary input: one well-formed
// response line per request line whatever the line holds, and versions that
// cross the protocol without losing a digit.

const now = (step: Step | Promise<Step>): Step => {
  if (isPromise(step)) throw new Error('expected a synchronous answer');
  return step;
};

const OPS = [
  'hello',
  'validate',
  'bye',
  'source.live',
  'source.dying',
  'source.list',
  'source.update',
  'source.empty',
  'source.next',
  'source.pop',
  'source.stop',
  'source.nope',
];
const int64 = fc.bigInt({ min: INT64_MIN, max: INT64_MAX });
const unit = fc.constantFrom('a/0', 'b/1', 'foo-bar/12', 'Bad/0', 'c/01', '');
const hook = fc.record(
  {
    kind: fc.constantFrom(
      'relation-joined',
      'relation-changed',
      'relation-departed',
      'relation-broken',
      'x',
    ),
    relationId: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('1')),
    remoteUnit: unit,
    changeVersion: fc.oneof(int64, fc.constant(0n), fc.double()),
  },
  { requiredKeys: [] },
);
const state = fc.record(
  {
    relationId: fc.integer({ min: 0, max: 3 }),
    members: fc.oneof(fc.constant(null), fc.dictionary(unit, int64, { maxKeys: 3 })),
    changedPending: unit,
  },
  { requiredKeys: [] },
);
const change = fc.record(
  {
    changed: fc.dictionary(unit, fc.record({ version: int64 }), { maxKeys: 3 }),
    departed: fc.array(unit, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
// Near-valid requests with any field possibly missing or wrong.
const request = fc.record(
  {
    id: fc.oneof(fc.integer(), int64, fc.constant('7'), fc.constant(null), fc.double()),
    op: fc.constantFrom(...OPS),
    source: fc.constantFrom('s', 't', ''),
    state,
    hook,
    hooks: fc.array(hook, { maxLength: 3 }),
    change,
  },
  { requiredKeys: [] },
);
const line = fc.oneof(
  request.map((r) => stringifyJson(r)),
  fc.json(),
  fc.string(),
);

test('PROTOCOL.md §1-3: every line gets one well-formed response; the id is echoed when readable', () => {
  const seen = { notJson: 0, idNull: 0, protocolError: 0, result: 0, domainError: 0 };
  // One session across the run, so that sources made by earlier lines are used by later ones.
  let session: Session = createReferenceSession();
  check(
    fc.property(line, (text) => {
      const step = now(handleLine(session, text));
      session = step.session;
      if (step.line.includes('\n')) return false;
      const parsed = parseJson(step.line);
      if (E.isLeft(parsed)) return false;
      const response = parsed.right as {
        id: unknown;
        ok: unknown;
        error?: unknown;
        result?: unknown;
      };
      const input = parseJson(text);
      if (E.isLeft(input)) seen.notJson += 1;
      const sent = E.isRight(input) ? (input.right as { id?: unknown } | null)?.id : undefined;
      const readableId =
        typeof sent === 'bigint' || (typeof sent === 'number' && Number.isSafeInteger(sent));
      if (response.id === null) seen.idNull += 1;
      else if (!readableId || response.id !== sent) return false;
      if (response.ok === false) {
        seen.protocolError += 1;
        return typeof response.error === 'string' && response.error !== '';
      }
      if (response.ok !== true || typeof response.result !== 'object') return false;
      seen.result += 1;
      if ('error' in (response.result as object)) seen.domainError += 1;
      return readableId;
    }),
    2000,
  );
  for (const [what, count] of Object.entries(seen))
    assert.ok(count > 0, `reached ${what}: ${count}`);
});

test('PROTOCOL.md §4: any int64 version crosses the protocol exactly (list and live sources)', () => {
  let extremes = 0;
  check(
    fc.property(fc.oneof(int64, fc.constantFrom(INT64_MIN, INT64_MAX)), (v) => {
      if (v === INT64_MIN || v === INT64_MAX) extremes += 1;
      let session = createReferenceSession();
      const send = (r: unknown) => {
        const step = now(handleLine(session, stringifyJson(r)));
        session = step.session;
        return step.line;
      };
      const hooks = [
        { kind: 'relation-joined', relationId: 1, remoteUnit: 'a/0', changeVersion: v },
      ];
      send({ id: 1, op: 'source.list', source: 'l', hooks });
      const listed = send({ id: 2, op: 'source.next', source: 'l' });
      send({
        id: 3,
        op: 'source.live',
        source: 's',
        state: { relationId: 1, members: {}, changedPending: '' },
      });
      send({
        id: 4,
        op: 'source.update',
        source: 's',
        change: { changed: { 'a/0': { version: v } } },
      });
      const live = send({ id: 5, op: 'source.next', source: 's' });
      const digits = `"changeVersion":${v.toString()}}`;
      return listed.endsWith(`${digits}}}`) && live.endsWith(`${digits}}}`);
    }),
    300,
  );
  assert.ok(extremes > 0, 'the extremes were tried');
});

test('PROTOCOL.md §4: a version one past either end is a protocol error naming the field', () => {
  for (const v of [INT64_MAX + 1n, INT64_MIN - 1n]) {
    const hooks = [{ kind: 'relation-joined', relationId: 1, remoteUnit: 'a/0', changeVersion: v }];
    const step = now(
      handleLine(
        createReferenceSession(),
        stringifyJson({ id: 1, op: 'source.list', source: 'l', hooks }),
      ),
    );
    assert.match(
      step.line,
      /^\{"id":1,"ok":false,"error":"invalid request: hooks\[0\]\.changeVersion: /,
    );
    assert.ok(step.line.includes(v.toString()), step.line);
  }
});

test.run();
