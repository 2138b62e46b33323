import { isUnitName, type UnitName } from '../model/unitName.ts';

// The unit names a trace checker has met, found from their bytes in a read
// buffer without decoding them again: an open-addressing table of FNV-1a
// hashes over an arena of the names' bytes. Each name is decoded once, so
// every later occurrence is the same string (the monitor's maps compare it
// at once) and no name keeps a read buffer alive. It grows with the
// distinct names only: a few bytes of index and the name's bytes each,
// besides the string itself.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export interface NameTable {
  /**
   * The unit name whose bytes run from `at` to the next quote (before
   * `limit`), or undefined when there is no quote, the bytes hold a
   * backslash or a non-ASCII byte, or they are not a unit name. `close()`
   * is then where that quote is.
   */
  readonly name: (b: Uint8Array, at: number, limit: number) => UnitName | undefined;
  /** The index of the closing quote of the last name found. */
  readonly close: () => number;
  /** How many names are held. */
  readonly size: () => number;
}

export const createNameTable = (): NameTable => {
  let slots = new Int32Array(1024); // entry index + 1, or 0 when free
  let slotHashes = new Int32Array(1024); // the hash of the slot's entry
  let hashes = new Int32Array(512);
  let offsets = new Int32Array(513); // entry i's bytes: arena[offsets[i], offsets[i + 1])
  let arena = new Uint8Array(8192);
  const strings: UnitName[] = [];
  let closeAt = -1;

  const place = (i: number, hash: number): void => {
    const mask = slots.length - 1;
    let s = hash & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = i + 1;
    slotHashes[s] = hash;
  };

  const grow = (): void => {
    const n = strings.length;
    if (n === hashes.length) {
      const h = new Int32Array(n * 2);
      h.set(hashes);
      hashes = h;
      const o = new Int32Array(n * 2 + 1);
      o.set(offsets);
      offsets = o;
    }
    // At most half full, so that a probe ends soon.
    if ((n + 1) * 2 > slots.length) {
      slots = new Int32Array(slots.length * 2);
      slotHashes = new Int32Array(slots.length);
      for (let i = 0; i < n; i++) place(i, hashes[i] as number);
    }
  };

  const add = (b: Uint8Array, at: number, stop: number, hash: number): UnitName | undefined => {
    const text = (
      Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)
    ).toString('latin1', at, stop);
    if (!isUnitName(text)) return undefined;
    grow();
    const i = strings.length;
    const from = offsets[i] as number;
    if (from + stop - at > arena.length) {
      const a = new Uint8Array(Math.max(arena.length * 2, from + stop - at));
      a.set(arena.subarray(0, from));
      arena = a;
    }
    arena.set(b.subarray(at, stop), from);
    offsets[i + 1] = from + stop - at;
    hashes[i] = hash;
    strings.push(text);
    place(i, hash);
    return text;
  };

  const name = (b: Uint8Array, at: number, limit: number): UnitName | undefined => {
    let hash = FNV_BASIS;
    let p = at;
    for (; p < limit; p++) {
      const c = b[p] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c >= 0x80) return undefined;
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    if (p === limit) return undefined;
    closeAt = p;
    const n = p - at;
    const mask = slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = slots[s] as number;
      if (e === 0) return add(b, at, p, hash);
      if (slotHashes[s] !== hash) continue;
      const from = offsets[e - 1] as number;
      if ((offsets[e] as number) - from !== n) continue;
      let k = 0;
      while (k < n && arena[from + k] === b[at + k]) k++;
      if (k === n) return strings[e - 1];
    }
  };

  return { name, close: () => closeAt, size: () => strings.length };
};
