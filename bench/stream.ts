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

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const fnvText = (h: number, text: string): number => {
  let x = h;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), FNV_PRIME);
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
    let x = fnvText(this.h, hook.kind);
    x = Math.imul(x ^ 0x20, FNV_PRIME);
    x = fnvText(x, hook.remoteUnit);
    x = Math.imul(x ^ 0x20, FNV_PRIME);
    // A bigint's own toString is 3x slower than a double's for the same digits.
    const v = hook.changeVersion;
    x = fnvText(x, v <= SAFE && v >= -SAFE ? String(Number(v)) : v.toString());
    this.h = Math.imul(x ^ 0x0a, FNV_PRIME);
    this.hooks++;
  }

  get value(): string {
    return (this.h >>> 0).toString(16).padStart(8, '0');
  }
}
