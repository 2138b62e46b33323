import type { RelationUnitsChange } from '../src/model/change.ts';
import { type ChangeVersion, changeVersion } from '../src/model/changeVersion.ts';
import type { HookInfo } from '../src/model/hook.ts';
import type { UnitName } from '../src/model/unitName.ts';
import { type Prng, prng } from './prng.ts';

// The live-source stream of bench/README.md ("The live stream"), which any
// implementation can replay: N slots, each holding one unit; the snapshot
// names them all at version 1; then every change touches one slot's unit
// (a settings change, a departure, or the join of the slot's next unit).

export const STREAM_SEED = 20150312;
/** The consumer drains the source after every DRAIN_EVERY-th change. */
export const DRAIN_EVERY = 16;

/** The watcher side of the stream: who holds each slot, at which version. */
export class LiveStream {
  private readonly rng: Prng;
  private readonly generation: Uint32Array;
  private readonly version: Float64Array;
  private readonly present: Uint8Array;

  constructor(
    readonly units: number,
    seed = STREAM_SEED,
  ) {
    this.rng = prng(seed);
    this.generation = new Uint32Array(units);
    this.version = new Float64Array(units).fill(1);
    this.present = new Uint8Array(units).fill(1);
  }

  private name(slot: number): UnitName {
    return `u${slot}/${this.generation[slot]}` as UnitName;
  }

  /** The first change: every slot's unit at version 1. */
  snapshot(): RelationUnitsChange {
    const changed = new Map<UnitName, ChangeVersion>();
    const one = changeVersion(1);
    for (let i = 0; i < this.units; i++) changed.set(this.name(i), one);
    return { changed, departed: [] };
  }

  /** The next change: a slot, then a roll of 16 (both always drawn). */
  change(): RelationUnitsChange {
    const slot = this.rng.below(this.units);
    const roll = this.rng.below(16);
    if (this.present[slot] === 0) {
      this.present[slot] = 1;
      this.version[slot] = 1;
      return { changed: new Map([[this.name(slot), changeVersion(1)]]), departed: [] };
    }
    if (roll === 0) {
      const unit = this.name(slot);
      this.present[slot] = 0;
      this.generation[slot] = (this.generation[slot] as number) + 1;
      return { changed: new Map(), departed: [unit] };
    }
    const v = (this.version[slot] as number) + 1;
    this.version[slot] = v;
    return { changed: new Map([[this.name(slot), changeVersion(v)]]), departed: [] };
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const fnvText = (h: number, text: string): number => {
  let x = h;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), FNV_PRIME);
  return x;
};

const fnvBytes = (h: number, bytes: Uint8Array): number => {
  let x = h;
  for (let i = 0; i < bytes.length; i++) x = Math.imul(x ^ (bytes[i] as number), FNV_PRIME);
  return x;
};

/** The kinds' bytes, made once: a typed array is read faster than a string's characters. */
const KIND_BYTES = new Map<string, Uint8Array>();
const kindBytes = (kind: string): Uint8Array => {
  let bytes = KIND_BYTES.get(kind);
  if (bytes === undefined) {
    bytes = new TextEncoder().encode(kind);
    KIND_BYTES.set(kind, bytes);
  }
  return bytes;
};

const DIGITS = new Uint8Array(20);

/**
 * FNV-1a over the decimal text of a version, without making the text: a
 * string per hook (bigint's toString, or a double's) cost more than the
 * rest of the hash together.
 */
const fnvVersion = (h: number, v: bigint): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) return fnvText(h, v.toString());
  let x = h;
  let m = n;
  if (m < 0) {
    x = Math.imul(x ^ 0x2d, FNV_PRIME);
    m = -m;
  }
  let k = 0;
  do {
    DIGITS[k++] = 0x30 + (m % 10);
    m = Math.floor(m / 10);
  } while (m > 0);
  while (k > 0) x = Math.imul(x ^ (DIGITS[--k] as number), FNV_PRIME);
  return x;
};

/**
 * FNV-1a (32 bits) over the hooks in delivery order, each fed as the ASCII
 * line `<kind> <unit> <version>\n`: two replays agree on it exactly when
 * they delivered the same hooks.
 */
export class HookChecksum {
  private h = FNV_OFFSET;
  hooks = 0;

  add(hook: HookInfo): void {
    let x = fnvBytes(this.h, kindBytes(hook.kind));
    x = Math.imul(x ^ 0x20, FNV_PRIME);
    x = fnvText(x, hook.remoteUnit);
    x = Math.imul(x ^ 0x20, FNV_PRIME);
    x = fnvVersion(x, hook.changeVersion);
    this.h = Math.imul(x ^ 0x0a, FNV_PRIME);
    this.hooks++;
  }

  get value(): string {
    return (this.h >>> 0).toString(16).padStart(8, '0');
  }
}
