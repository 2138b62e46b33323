import type { TraceEvent } from '../../spec/trace.ts';
import type { ChangeVersion } from '../model/changeVersion.ts';
import { ZERO_VERSION } from '../model/changeVersion.ts';
import type { HookInfo } from '../model/hook.ts';
import type { UnitHookKind } from '../model/hookKind.ts';
import type { RelationId } from '../model/relationId.ts';
import type { State } from '../model/state.ts';
import type { UnitName } from '../model/unitName.ts';
import { createNameTable } from './names.ts';

// The checker's fastest path: a scanner for trace lines in the exact layout
// `relspec` writes them (keys in that order, no spaces, non-negative
// integers of at most 15 digits), which builds the event straight from the
// line's UTF-8 bytes in the read buffer: no string for the line, no JSON
// value in between. It only ever ACCEPTS: it returns the event the full
// path (decoding, JSON.parse, then the decoders) would, or undefined, and
// then the full path decides. tests/check/scan.test.ts checks that.
//
// Strings are taken up to the next quote. A unit name has no backslash and
// no byte outside ASCII, so a line with either in a name goes to the full
// path.

/** The event on the line b[start, end), or undefined (then use the full path). */
export type LineScanner = (b: Uint8Array, start: number, end: number) => TraceEvent | undefined;

/** A constant part of a line: its bytes as little-endian 32-bit words, then the last few bytes. */
interface Literal {
  readonly length: number;
  readonly words: Int32Array;
  readonly tail: Uint8Array;
}

const literal = (s: string): Literal => {
  const b = Buffer.from(s, 'latin1');
  const n = b.length >> 2;
  return {
    length: b.length,
    words: Int32Array.from({ length: n }, (_, i) => b.readInt32LE(4 * i)),
    tail: Uint8Array.from(b.subarray(4 * n)),
  };
};

const HOOK = literal('{"type":"hook","hook":{"kind":"relation-');
const COMMIT = literal('{"type":"commit","hook":{"kind":"relation-');
const CHANGE = literal('{"type":"change","change":{"changed":{');
const START = literal('{"type":"start","state":{"relationId":');
const MEMBERS = literal(',"members":{');
const NO_MEMBERS = literal(',"members":null');
const PENDING = literal(',"changedPending":"');
const REMOTE = literal(',"remoteUnit":"');
const VERSION = literal('","changeVersion":');
const SETTINGS = literal('":{"version":');
const DEPARTED = literal('},"departed":[');
const simpleLine = (type: 'idle' | 'crash' | 'dying') =>
  [literal(`{"type":"${type}"}`), { type }] as const;
const IDLE = simpleLine('idle');
const CRASH = simpleLine('crash');
const DYING = simpleLine('dying');
/** Where the type's value begins: `{"type":"` is 9 bytes. */
const TYPE_AT = 9;

// Each kind with the rest of it after "relation-" and the key that follows.
const kindOf = (k: 'joined' | 'changed' | 'departed' | 'broken') =>
  [`relation-${k}`, literal(`${k}","relationId":`)] as const;
const JOINED = kindOf('joined');
const CHANGED = kindOf('changed');
const DEPARTED_KIND = kindOf('departed');
const BROKEN = kindOf('broken');

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const BRACKET_CLOSE = 0x5d;
const BRACE_CLOSE = 0x7d;
const MAX_DIGITS = 15;

// Versions as bigint: the small ones, which most are, made once.
const SMALL = 1 << 12;
const small: ChangeVersion[] = Array.from({ length: SMALL }, (_, i) => BigInt(i) as ChangeVersion);
const bigint = (n: number): ChangeVersion =>
  n < SMALL ? (small[n] as ChangeVersion) : (BigInt(n) as ChangeVersion);

/** A scanner with its own table of the unit names it has met. */
export const createLineScanner = (): LineScanner => {
  const names = createNameTable();
  /** Where the last number or name scanned ended; -1 when it did not scan. */
  let pos = -1;
  // The buffer being scanned, and a view of it that reads four bytes at once.
  let buffer: Uint8Array = new Uint8Array(0);
  let view = new DataView(buffer.buffer);

  /** Whether b[at, limit) begins with `lit`. */
  const has = (b: Uint8Array, at: number, limit: number, lit: Literal): boolean => {
    if (at < 0 || at + lit.length > limit) return false;
    const words = lit.words;
    for (let k = 0; k < words.length; k++) {
      if (view.getInt32(at + 4 * k, true) !== words[k]) return false;
    }
    const tail = lit.tail;
    const base = at + 4 * words.length;
    for (let k = 0; k < tail.length; k++) if (b[base + k] !== tail[k]) return false;
    return true;
  };

  /** A non-negative JSON integer of at most 15 digits at `at` (always a safe number). */
  const integer = (b: Uint8Array, at: number, limit: number): number => {
    let n = 0;
    let i = at;
    const stop = Math.min(limit, at + MAX_DIGITS + 1);
    for (; i < stop; i++) {
      const c = b[i] as number;
      if (c < ZERO || c > NINE) break;
      n = n * 10 + (c - ZERO);
    }
    const digits = i - at;
    // JSON has no leading zeros; more digits than MAX_DIGITS may be unsafe.
    pos = digits === 0 || digits > MAX_DIGITS || (digits > 1 && b[at] === ZERO) ? -1 : i;
    return n;
  };

  /** A unit name whose opening quote is just before `at`; `pos` is after its closing quote. */
  const name = (b: Uint8Array, at: number, limit: number): UnitName | undefined => {
    const u = names.name(b, at, limit);
    pos = u === undefined ? -1 : names.close() + 1;
    return u;
  };

  /** The hook of a hook or commit line, from just after `"kind":"relation-` to the end. */
  const hook = (b: Uint8Array, at: number, end: number): HookInfo | undefined => {
    const c = b[at];
    const known =
      c === 0x63
        ? CHANGED
        : c === 0x6a
          ? JOINED
          : c === 0x64
            ? DEPARTED_KIND
            : c === 0x62
              ? BROKEN
              : undefined;
    if (known === undefined || !has(b, at, end, known[1])) return undefined;
    const kind = known[0];
    const relationId = integer(b, at + known[1].length, end) as RelationId;
    if (pos < 0 || !has(b, pos, end, REMOTE)) return undefined;
    let p = pos + REMOTE.length;
    let remoteUnit: UnitName | '';
    if (kind === 'relation-broken') {
      if (b[p] !== QUOTE) return undefined;
      remoteUnit = '';
      p += 1;
    } else {
      const u = name(b, p, end);
      if (u === undefined) return undefined;
      remoteUnit = u;
      p = pos;
    }
    if (!has(b, p - 1, end, VERSION)) return undefined;
    const version = integer(b, p - 1 + VERSION.length, end);
    if (pos < 0 || pos + 2 !== end || b[pos] !== BRACE_CLOSE || b[pos + 1] !== BRACE_CLOSE) {
      return undefined;
    }
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

  /** The change of a change line, from just after `"changed":{` to the end. */
  const change = (b: Uint8Array, at: number, end: number): TraceEvent | undefined => {
    const changed = new Map<UnitName, ChangeVersion>();
    let p = at;
    if (b[p] !== BRACE_CLOSE) {
      for (;;) {
        if (b[p] !== QUOTE) return undefined;
        const u = name(b, p + 1, end);
        if (u === undefined || !has(b, pos - 1, end, SETTINGS)) return undefined;
        const v = integer(b, pos - 1 + SETTINGS.length, end);
        if (pos < 0 || b[pos] !== BRACE_CLOSE) return undefined;
        changed.set(u, bigint(v));
        p = pos + 1;
        if (b[p] !== COMMA) break;
        p += 1;
      }
    }
    if (!has(b, p, end, DEPARTED)) return undefined;
    p += DEPARTED.length;
    const departed: UnitName[] = [];
    if (b[p] !== BRACKET_CLOSE) {
      for (;;) {
        if (b[p] !== QUOTE) return undefined;
        const u = name(b, p + 1, end);
        if (u === undefined) return undefined;
        departed.push(u);
        p = pos;
        if (b[p] !== COMMA) break;
        p += 1;
      }
    }
    if (p + 3 !== end || b[p] !== BRACKET_CLOSE || b[p + 1] !== BRACE_CLOSE) return undefined;
    if (b[p + 2] !== BRACE_CLOSE) return undefined;
    return { type: 'change', change: { changed, departed } };
  };

  /** The state of a start line, from just after `"relationId":` to the end. */
  const state = (b: Uint8Array, at: number, end: number): TraceEvent | undefined => {
    const relationId = integer(b, at, end) as RelationId;
    if (pos < 0) return undefined;
    let p: number;
    let members: Map<UnitName, ChangeVersion> | null = null;
    if (has(b, pos, end, NO_MEMBERS)) p = pos + NO_MEMBERS.length;
    else {
      if (!has(b, pos, end, MEMBERS)) return undefined;
      members = new Map();
      p = pos + MEMBERS.length;
      if (b[p] !== BRACE_CLOSE) {
        for (;;) {
          if (b[p] !== QUOTE) return undefined;
          const u = name(b, p + 1, end);
          if (u === undefined || b[pos] !== COLON) return undefined;
          const v = integer(b, pos + 1, end);
          if (pos < 0) return undefined;
          members.set(u, bigint(v));
          p = pos;
          if (b[p] !== COMMA) break;
          p += 1;
        }
        if (b[p] !== BRACE_CLOSE) return undefined;
      }
      p += 1;
    }
    if (!has(b, p, end, PENDING)) return undefined;
    p += PENDING.length;
    let changedPending: UnitName | '' = '';
    if (b[p] === QUOTE) p += 1;
    else {
      const u = name(b, p, end);
      if (u === undefined) return undefined;
      changedPending = u;
      p = pos;
    }
    if (p + 2 !== end || b[p] !== BRACE_CLOSE || b[p + 1] !== BRACE_CLOSE) return undefined;
    const s: State = { relationId, members, changedPending };
    return { type: 'start', state: s };
  };

  /** An event without fields, when the line is exactly its layout. */
  const simple = (
    b: Uint8Array,
    start: number,
    end: number,
    [lit, event]: readonly [Literal, TraceEvent],
  ): TraceEvent | undefined =>
    end - start === lit.length && has(b, start, end, lit) ? event : undefined;

  return (b, start, end) => {
    if (b !== buffer) {
      buffer = b;
      view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    // The first letters of the type choose the one layout the line may have.
    switch (end - start > TYPE_AT + 1 ? b[start + TYPE_AT] : undefined) {
      case 0x68: {
        if (!has(b, start, end, HOOK)) return undefined;
        const h = hook(b, start + HOOK.length, end);
        return h === undefined ? undefined : { type: 'hook', hook: h };
      }
      case 0x63: {
        const second = b[start + TYPE_AT + 1];
        if (second === 0x68) {
          return has(b, start, end, CHANGE) ? change(b, start + CHANGE.length, end) : undefined;
        }
        if (second === 0x72) return simple(b, start, end, CRASH);
        if (!has(b, start, end, COMMIT)) return undefined;
        const h = hook(b, start + COMMIT.length, end);
        return h === undefined ? undefined : { type: 'commit', hook: h };
      }
      case 0x73:
        return has(b, start, end, START) ? state(b, start + START.length, end) : undefined;
      case 0x69:
        return simple(b, start, end, IDLE);
      case 0x64:
        return simple(b, start, end, DYING);
      default:
        return undefined;
    }
  };
};
