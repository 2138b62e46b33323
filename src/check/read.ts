import { open } from 'node:fs/promises';

/**
 * The bytes of a file in chunks of `size`. Two buffers take turns: the
 * next chunk is read while the consumer works on this one, which is valid
 * until the one after is asked for (byteLines copies what it keeps).
 */
export async function* fileChunks(path: string, size = 1 << 20): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  let current = Buffer.allocUnsafe(size);
  let spare = Buffer.allocUnsafe(size);
  let next = handle.read(current, 0, size, null);
  try {
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return;
      const chunk = current.subarray(0, bytesRead);
      [current, spare] = [spare, current];
      next = handle.read(current, 0, size, null);
      yield chunk;
    }
  } finally {
    // A read still under way when the consumer stops: let it end before closing.
    await next.catch(() => undefined);
    await handle.close();
  }
}
