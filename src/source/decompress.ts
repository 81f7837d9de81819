import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
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

/**
 * The system zstd as a child process: compressed bytes go to `input`, decoded bytes come out of
 * `output` (the child's stdout itself, no stream in between: a 3 GB capture is 50,000 pipe
 * reads), and `finished` settles when the child exits — rejected with words for the user when
 * zstd could not run or the data was damaged, which the output stream alone cannot tell.
 */
export function zstdChild(): { input: Writable; output: Readable; finished: Promise<void>; kill(): void } {
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 2000) stderr += s;
  });
  // The reader decides when it has had enough (sniffing stops early): a broken pipe is expected.
  child.stdin.on('error', () => {});
  const finished = new Promise<void>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new DecoderUnavailable(
              'is zstd-compressed and the zstd program is not installed; install zstd, or decompress it with "zstd -d" and try again',
            )
          : e,
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why =
        stderr
          .trim()
          .split('\n')
          .pop()
          ?.replace(/^zstd: /, '') ?? '';
      reject(
        new Error(
          /unexpected end|truncated|premature/i.test(why)
            ? 'unexpected end of data'
            : `the zstd data is corrupt (${why || `zstd exited with ${code ?? signal}`})`,
        ),
      );
    });
  });
  // Nobody may be waiting when the child fails (a reader that stopped early): not an error then.
  finished.catch(() => {});
  return {
    input: child.stdin,
    output: child.stdout,
    finished,
    kill: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

/** zstdChild as one Duplex, for readers that want a plain stream of decoded bytes. */
function zstdProcess(): Duplex {
  const z = zstdChild();
  const out = new PassThrough({ highWaterMark: BIG_CHUNK });
  z.output.pipe(out, { end: false });
  z.finished.then(
    () => out.end(),
    (e) => out.destroy(e),
  );
  const duplex = Duplex.from({ writable: z.input, readable: out });
  duplex.on('close', z.kill);
  return duplex;
}
