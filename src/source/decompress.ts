import { spawn } from 'node:child_process';
import { Duplex, PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type Compression = 'none' | 'gzip' | 'zstd';

// zlib's default 16 KiB output chunks cost a thread-pool round trip each: 2.5 GB of captures is
// 160,000 of them, and 256 KiB chunks halve the time of gunzip on a node-scale capture. But what
// sits in an unfinished chunk is lost when the decoder meets damage, so small inputs (where speed
// does not matter) keep small chunks and give back all they can.
const BIG_CHUNK = 256 * 1024;
const SMALL_CHUNK = 16 * 1024;
const BIG_INPUT = 8 * 1024 * 1024;

/** The decoder could not run at all (zstd not installed): no point reading further. */
export class DecoderUnavailable extends Error {}

/**
 * A streaming decoder for the compression, or null for none. `inputBytes` is the compressed size
 * when known; sniffing leaves it out and gets small chunks.
 *
 * zstd is decoded by the system's `zstd` program, as GNU tar's --zstd does: Node 20 has no zstd in
 * zlib, and the pure-JS decoder on npm (fzstd) took 15× longer than gunzip on a node-scale capture
 * (see docs/performance.md), while `zstd -dc` in its own process decodes faster than gunzip and
 * on the other core.
 */
export function decompressor(compression: Compression, opts: { inputBytes?: number } = {}): Duplex | null {
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize: (opts.inputBytes ?? 0) > BIG_INPUT ? BIG_CHUNK : SMALL_CHUNK });
    case 'zstd':
      return zstdProcess();
    default:
      return null;
  }
}

function zstdProcess(): Duplex {
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new PassThrough({ highWaterMark: BIG_CHUNK });
  let stderr = '';
  let failed = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 2000) stderr += s;
  });
  // The reader decides when it has had enough (sniffing stops early): a broken pipe is expected.
  child.stdin.on('error', () => {});
  child.stdout.pipe(out, { end: false });
  child.on('error', (e: NodeJS.ErrnoException) => {
    failed = true;
    out.destroy(
      e.code === 'ENOENT'
        ? new DecoderUnavailable(
            'is zstd-compressed and the zstd program is not installed; install zstd, or decompress it with "zstd -d" and try again',
          )
        : e,
    );
  });
  child.on('close', (code, signal) => {
    if (failed) return;
    if (code === 0) out.end();
    else if (!out.destroyed) {
      const why =
        stderr
          .trim()
          .split('\n')
          .pop()
          ?.replace(/^zstd: /, '') ?? '';
      out.destroy(
        new Error(
          /unexpected end|truncated|premature/i.test(why)
            ? 'unexpected end of data'
            : `the zstd data is corrupt (${why || `zstd exited with ${code ?? signal}`})`,
        ),
      );
    }
  });
  const duplex = Duplex.from({ writable: child.stdin, readable: out });
  duplex.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return duplex;
}
