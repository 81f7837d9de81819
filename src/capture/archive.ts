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
 * (see spec.ts), so each snapshot is written once, whole, and never rewritten.
 */
export async function gzipTarMember(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: e.type === 'directory' ? `${e.name}/` : e.name,
        type: e.type,
        mode: e.type === 'directory' ? 0o755 : 0o644,
        mtime: e.mtime,
        uname: 'root',
        gname: 'root',
      };
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.type === 'file') pack.entry(header, e.data ?? Buffer.alloc(0), done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  await collected;
  return gzipAsync(Buffer.concat(chunks));
}
