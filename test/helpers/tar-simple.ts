import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tarStream from 'tar-stream';
import { describeStreamError } from '../../src/source/stream-error.js';
import type { ReadLimits, TreeEntry, TreeSource, WalkOutcome } from '../../src/source/types.js';
import {
  cleanPath,
  DEFAULT_READ_LIMITS,
  isUnsafePath,
  limitReason,
  linkReason,
  splitPath,
  UNSAFE_PATH,
} from '../../src/source/types.js';

const EMPTY = Buffer.alloc(0);

function entryType(t: string | null | undefined): TreeEntry['type'] {
  switch (t) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return 'other';
  }
}

/**
 * The simple reading of a tar archive, through tar-stream (a stream object per entry). memlens
 * reads archives with `tarTree` (tar.ts), which is several times faster on node-scale captures;
 * this one is kept as the independent reference the tests compare it with.
 */
export function tarTreeSimple(
  name: string,
  open: () => Readable,
  opts: { gzip: boolean; limits?: ReadLimits },
): TreeSource {
  const limits = opts.limits ?? DEFAULT_READ_LIMITS;
  return {
    name,
    async walk(visit): Promise<WalkOutcome> {
      const out: WalkOutcome = { entries: 0, skipped: [] };
      const raw = open();
      const extract = tarStream.extract();
      let total = 0;
      let last: string | null = null;
      const fail = (e: unknown) => {
        out.error ??= { message: describeStreamError(e), afterEntry: last };
        extract.destroy();
      };
      raw.on('error', fail);
      if (opts.gzip) {
        const gunzip = createGunzip();
        gunzip.on('error', fail);
        raw.pipe(gunzip).pipe(extract);
      } else {
        raw.pipe(extract);
      }
      try {
        for await (const stream of extract) {
          const h = stream.header;
          const rawName = h.name;
          const path = cleanPath(rawName);
          const type = entryType(h.type);
          out.entries++;
          if (isUnsafePath(rawName)) {
            // Nothing is written to disk, so such a name cannot escape; it is still not a capture file.
            out.skipped.push({ path: rawName, reason: UNSAFE_PATH });
            stream.resume();
            await new Promise<void>((r) => stream.on('end', r));
            continue;
          }
          const entry: TreeEntry = {
            path,
            ...splitPath(path),
            type,
            size: h.size ?? 0,
            mtimeMs: h.mtime ? h.mtime.getTime() : 0,
            ...(h.linkname ? { linkname: h.linkname } : {}),
          };
          if (type !== 'file' || entry.size > limits.maxEntryBytes) {
            if (type === 'symlink' || type === 'link') {
              out.skipped.push({
                path,
                reason: linkReason(type === 'link' ? 'hard' : 'symbolic', h.linkname),
              });
            } else if (type === 'file') {
              out.skipped.push({ path, reason: `larger than ${limits.maxEntryBytes} bytes` });
            }
            stream.resume();
            await new Promise<void>((r) => stream.on('end', r));
            visit(entry, EMPTY);
            last = path;
            continue;
          }
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          total += data.length;
          if (total > limits.maxTotalBytes) {
            out.error = { message: limitReason(limits.maxTotalBytes), afterEntry: last, limit: true };
            extract.destroy();
            break;
          }
          visit(entry, data);
          last = path;
        }
      } catch (e) {
        out.error ??= { message: describeStreamError(e), afterEntry: last };
      } finally {
        raw.destroy();
      }
      return out;
    },
  };
}

/** Opens a file path as a tar tree, read the simple way. */
export function tarFileSimple(path: string, gzip: boolean, limits?: ReadLimits): TreeSource {
  return tarTreeSimple(path, () => createReadStream(path, { highWaterMark: 256 * 1024 }), { gzip, limits });
}
