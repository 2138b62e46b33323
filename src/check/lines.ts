// Splits a byte stream into lines at LF, handing each one over as a range
// of bytes: a line that lies inside a chunk is handed over in place (no
// copy, no decoding), and only a line that runs across chunks is gathered
// into a buffer of its own, which doubles as needed and is reused. UTF-8
// never has an LF inside a multi-byte character, so a line's bytes always
// hold whole characters, wherever the chunks were cut. Once `onLine`
// returns false the rest is not looked at.

/** Receives each line's bytes b[start, end), without the LF; false stops the input. */
export type OnLine = (b: Buffer, start: number, end: number) => boolean;

export interface ByteLines {
  /** Feed the next chunk; false once a line has stopped the input. A chunk may be reused afterwards. */
  readonly push: (chunk: Uint8Array) => boolean;
  /** The end of the input: a last line without LF is handed over. False if it stopped the input. */
  readonly end: () => boolean;
}

const LF = 0x0a;

const asBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

export const byteLines = (onLine: OnLine, initial = 1 << 16): ByteLines => {
  let carry = Buffer.allocUnsafe(initial);
  let held = 0;
  let stopped = false;

  const hold = (b: Buffer, from: number, to: number): void => {
    const need = held + to - from;
    if (need > carry.length) {
      let size = carry.length * 2;
      while (size < need) size *= 2;
      const bigger = Buffer.allocUnsafe(size);
      carry.copy(bigger, 0, 0, held);
      carry = bigger;
    }
    b.copy(carry, held, from, to);
    held = need;
  };

  const halt = (): boolean => {
    stopped = true;
    return false;
  };

  const push = (chunk: Uint8Array): boolean => {
    if (stopped) return false;
    const b = asBuffer(chunk);
    let start = 0;
    let stop = b.indexOf(LF);
    if (held > 0) {
      if (stop < 0) {
        hold(b, 0, b.length);
        return true;
      }
      hold(b, 0, stop);
      const n = held;
      held = 0;
      const go = onLine(carry, 0, n);
      // A very long line does not keep its buffer for the rest of the input.
      if (carry.length > initial * 16) carry = Buffer.allocUnsafe(initial);
      if (!go) return halt();
      start = stop + 1;
      stop = b.indexOf(LF, start);
    }
    for (; stop >= 0; stop = b.indexOf(LF, start)) {
      if (!onLine(b, start, stop)) return halt();
      start = stop + 1;
    }
    if (start < b.length) hold(b, start, b.length);
    return true;
  };

  const end = (): boolean => {
    if (stopped) return false;
    if (held === 0) return true;
    const n = held;
    held = 0;
    return onLine(carry, 0, n) || halt();
  };

  return { push, end };
};
