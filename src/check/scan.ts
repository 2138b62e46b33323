import type { TraceEvent } from '../../spec/trace.ts';
import type { ChangeVersion } from '../model/changeVersion.ts';
import { ZERO_VERSION } from '../model/changeVersion.ts';
import type { HookInfo } from '../model/hook.ts';
import type { UnitHookKind } from '../model/hookKind.ts';
import type { RelationId } from '../model/relationId.ts';
import type { UnitName } from '../model/unitName.ts';
import { unit } from './fastDecode.ts';

// The checker's fastest path: a scanner for trace lines in the exact layout
// `relspec` writes them (keys in that order, no spaces, non-negative
// integers of at most 15 digits), which builds the event without a JSON
// value in between. Like fastDecode.ts it only ever ACCEPTS: it returns the
// event the full path (JSON.parse, then the decoders) would, or undefined,
// and then the full path decides. tests/check/scan.test.ts checks that.
//
// Strings are taken up to the next quote. A unit name has no backslash, so
// an escape anywhere in a name makes the slice an invalid name and the line
// goes to the full path.

const HOOK = '{"type":"hook","hook":{"kind":"relation-';
const COMMIT = '{"type":"commit","hook":{"kind":"relation-';
const CHANGE = '{"type":"change","change":{"changed":{';
const REMOTE = ',"remoteUnit":"';
const VERSION = '","changeVersion":';
const SETTINGS = ':{"version":';
const DEPARTED = ',"departed":[';
const SIMPLE: ReadonlyMap<string, TraceEvent> = new Map(
  (['idle', 'crash', 'dying'] as const).map((type) => [`{"type":"${type}"}`, { type }]),
);

const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DIGITS = 15;

/** Where the last number or string scanned ended; -1 when it did not scan. */
let end = -1;

/** A non-negative JSON integer of at most 15 digits at `at` (always a safe number). */
const integer = (text: string, at: number): number => {
  let n = 0;
  let i = at;
  for (; i < text.length && i - at <= MAX_DIGITS; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    n = n * 10 + (c - ZERO);
  }
  const digits = i - at;
  // JSON has no leading zeros; more digits than MAX_DIGITS may be unsafe.
  end =
    digits === 0 || digits > MAX_DIGITS || (digits > 1 && text.charCodeAt(at) === ZERO) ? -1 : i;
  return n;
};

/** A unit name in quotes whose opening quote is just before `at`. */
const name = (text: string, at: number): UnitName | undefined => {
  const close = text.indexOf('"', at);
  if (close < 0) {
    end = -1;
    return undefined;
  }
  end = close + 1;
  return unit(text.slice(at, close));
};

// Versions as bigint: the small ones, which most are, made once.
const SMALL = 1 << 12;
const small: ChangeVersion[] = Array.from({ length: SMALL }, (_, i) => BigInt(i) as ChangeVersion);
const bigint = (n: number): ChangeVersion =>
  n < SMALL ? (small[n] as ChangeVersion) : (BigInt(n) as ChangeVersion);

// Each kind by the letter after "relation-", with the rest of it and the
// key that follows, compared in place (no string is cut out or hashed).
const KINDS: Readonly<Record<string, readonly [HookInfo['kind'], string]>> = {
  j: ['relation-joined', 'joined","relationId":'],
  c: ['relation-changed', 'changed","relationId":'],
  d: ['relation-departed', 'departed","relationId":'],
  b: ['relation-broken', 'broken","relationId":'],
};

/** The hook of a hook or commit line, from just after `"kind":"relation-` to the end of the line. */
const hook = (text: string, at: number): HookInfo | undefined => {
  const known = KINDS[text.charAt(at)];
  if (known === undefined || !text.startsWith(known[1], at)) return undefined;
  const kind = known[0];
  const relationId = integer(text, at + known[1].length) as RelationId;
  if (end < 0 || !text.startsWith(REMOTE, end)) return undefined;
  let p = end + REMOTE.length;
  let remoteUnit: UnitName | '';
  if (kind === 'relation-broken') {
    if (text.charCodeAt(p) !== QUOTE) return undefined;
    remoteUnit = '';
    p += 1;
  } else {
    const u = name(text, p);
    if (u === undefined) return undefined;
    remoteUnit = u;
    p = end;
  }
  if (!text.startsWith(VERSION, p - 1)) return undefined;
  const version = integer(text, p - 1 + VERSION.length);
  if (end < 0 || end + 2 !== text.length || !text.endsWith('}}')) return undefined;
  if (kind === 'relation-broken') {
    return version === 0
      ? { kind, relationId, remoteUnit: '', changeVersion: ZERO_VERSION }
      : undefined;
  }
  return {
    kind: kind as UnitHookKind,
    relationId,
    remoteUnit: remoteUnit as UnitName,
    changeVersion: bigint(version),
  };
};

/** The change of a change line, from just after `"changed":{` to the end of the line. */
const change = (text: string, at: number): TraceEvent | undefined => {
  const changed = new Map<UnitName, ChangeVersion>();
  let p = at;
  if (text.charCodeAt(p) !== 0x7d) {
    for (;;) {
      if (text.charCodeAt(p) !== QUOTE) return undefined;
      const u = name(text, p + 1);
      if (u === undefined || !text.startsWith(SETTINGS, end)) return undefined;
      const v = integer(text, end + SETTINGS.length);
      if (end < 0 || text.charCodeAt(end) !== 0x7d) return undefined;
      changed.set(u, bigint(v));
      p = end + 1;
      if (text.charCodeAt(p) !== 0x2c) break;
      p += 1;
    }
    if (text.charCodeAt(p) !== 0x7d) return undefined;
  }
  if (!text.startsWith(DEPARTED, p + 1)) return undefined;
  p += 1 + DEPARTED.length;
  const departed: UnitName[] = [];
  if (text.charCodeAt(p) !== 0x5d) {
    for (;;) {
      if (text.charCodeAt(p) !== QUOTE) return undefined;
      const u = name(text, p + 1);
      if (u === undefined) return undefined;
      departed.push(u);
      p = end;
      if (text.charCodeAt(p) !== 0x2c) break;
      p += 1;
    }
    if (text.charCodeAt(p) !== 0x5d) return undefined;
  }
  if (p + 3 !== text.length || !text.endsWith(']}}')) return undefined;
  return { type: 'change', change: { changed, departed } };
};

/** The event on a line in relspec's own layout, or undefined (then use the full path). */
export const scanTraceLine = (text: string): TraceEvent | undefined => {
  if (text.startsWith(HOOK)) {
    const h = hook(text, HOOK.length);
    return h === undefined ? undefined : { type: 'hook', hook: h };
  }
  if (text.startsWith(COMMIT)) {
    const h = hook(text, COMMIT.length);
    return h === undefined ? undefined : { type: 'commit', hook: h };
  }
  if (text.startsWith(CHANGE)) return change(text, CHANGE.length);
  return SIMPLE.get(text);
};
