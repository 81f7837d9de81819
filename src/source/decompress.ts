import type { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type Compression = 'none' | 'gzip' | 'zstd';

// zlib's default 16 KiB output chunks cost a thread-pool round trip each: 2.5 GB of captures is
// 160,000 of them, and 256 KiB chunks halve the time of gunzip on a node-scale capture. But what
// sits in an unfinished chunk is lost when the decoder meets damage, so small inputs (where speed
// does not matter) keep small chunks and give back all they can.
const BIG_CHUNK = 256 * 1024;
const SMALL_CHUNK = 16 * 1024;
const BIG_INPUT = 8 * 1024 * 1024;

/**
 * A streaming decoder for the compression, or null for none. `inputBytes` is the compressed size
 * when known; sniffing leaves it out and gets small chunks.
 */
export function decompressor(compression: Compression, opts: { inputBytes?: number } = {}): Transform | null {
  const chunkSize = (opts.inputBytes ?? 0) > BIG_INPUT ? BIG_CHUNK : SMALL_CHUNK;
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize });
    case 'zstd':
      throw new Error('zstd is not supported');
    default:
      return null;
  }
}
