import { open } from 'node:fs/promises';

const CHUNK = 1024 * 1024;

/**
 * A file's bytes in 1 MiB chunks through two buffers used in turn: the next read runs while the
 * consumer handles the current chunk, and no buffer is allocated per chunk (a 3 GB plain tar
 * would otherwise be 3,000 fresh megabyte buffers for the garbage collector). Each chunk is
 * valid until the consumer asks for the next one.
 */
export async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    let cur = Buffer.allocUnsafe(CHUNK);
    let spare = Buffer.allocUnsafe(CHUNK);
    let reading = fh.read(cur, 0, CHUNK, null);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) return;
      const chunk = cur.subarray(0, bytesRead);
      [cur, spare] = [spare, cur];
      reading = fh.read(cur, 0, CHUNK, null);
      yield chunk;
    }
  } finally {
    await fh.close();
  }
}
