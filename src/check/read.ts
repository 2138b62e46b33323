import { open } from 'node:fs/promises';

/**
 * The bytes of a file in chunks of `size`, read into one buffer that is
 * reused: a chunk is valid until the next one is asked for (byteLines
 * copies what it keeps).
 */
export async function* fileChunks(path: string, size = 1 << 20): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
