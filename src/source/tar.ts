import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Compression } from './decompress.js';
import { decompressor, zstdChild } from './decompress.js';
import { fileChunks } from './file-chunks.js';
import { describeStreamError } from './stream-error.js';
import type { TarHeader } from './tar-parser.js';
import { headerName, TarParser } from './tar-parser.js';
import type { ReadLimits, TreeEntry, TreeSource, WalkOutcome } from './types.js';
import {
  cleanPath,
  DEFAULT_READ_LIMITS,
  isUnsafePath,
  limitReason,
  linkReason,
  splitPath,
  UNSAFE_PATH,
} from './types.js';

const EMPTY = Buffer.alloc(0);

/**
 * A tar archive, plain or compressed, streamed once: raw bytes → decoder → TarParser → visitor,
 * chunk by chunk, so memory stays at a few chunks whatever the archive's size. Nothing is written
 * to disk: contents are handed to the visitor in memory, so `..` or absolute names cannot escape
 * anywhere; they are still reported, because an honest capture never contains them.
 */
export function tarTree(
  name: string,
  open: () => Readable,
  opts: {
    compression: Compression;
    limits?: ReadLimits;
    size?: number;
    /** For a plain tar on disk: read it through two reused buffers instead of `open()`. */
    path?: string;
  },
): TreeSource & { bytesRead: number } {
  const limits = opts.limits ?? DEFAULT_READ_LIMITS;
  const source = {
    name,
    bytesRead: 0,
    bytesTotal: opts.size,
    async walk(visit: (entry: TreeEntry, data: Buffer) => void): Promise<WalkOutcome> {
      const out: WalkOutcome = { entries: 0, skipped: [] };
      let last: string | null = null;
      // The raw folder bytes of the last file and its clean folder string.
      let prevBytes = Buffer.alloc(1024);
      let prevLength = -1;
      let prevDir = '';

      const onEntry = (h: TarHeader, data: Buffer | null) => {
        out.entries++;
        const nb = h.nameBytes;
        const n = h.nameLength;
        let cut = n - 1;
        while (cut >= 0 && nb[cut] !== 0x2f) cut--;
        // Fast path: a file in the same folder as the last file (most entries of a capture).
        if (
          h.type === 'file' &&
          cut > 0 &&
          cut === prevLength &&
          nb.compare(prevBytes, 0, cut, 0, cut) === 0
        ) {
          const base = nb.toString('utf8', cut + 1, n);
          if (isPlainName(base)) {
            const path = prevDir ? `${prevDir}/${base}` : base;
            deliver(data, fill(path, prevDir, base, 'file', h));
            return;
          }
        }
        const raw = headerName(h);
        if (isUnsafePath(raw)) {
          out.skipped.push({ path: raw, reason: UNSAFE_PATH });
          return;
        }
        // A regular file whose name ends in '/' is how old tars wrote directories.
        const type = h.type === 'file' && raw.endsWith('/') ? 'directory' : h.type;
        const path = cleanPath(raw);
        const { dir, name: base } = splitPath(path);
        if (type === 'file' && cut > 0 && isPlainName(base)) {
          // Remember this folder for the files that follow it.
          if (prevBytes.length < cut) prevBytes = Buffer.alloc(cut * 2);
          nb.copy(prevBytes, 0, 0, cut);
          prevLength = cut;
          prevDir = dir;
        }
        const entry = fill(path, dir, base, type, h);
        if (type === 'symlink' || type === 'link') {
          entry.linkname = h.linkname;
          out.skipped.push({
            path,
            reason: linkReason(type === 'link' ? 'hard' : 'symbolic', h.linkname),
          });
        }
        deliver(data, entry);
      };

      // One entry object, refilled for each entry: visitors may not keep it (see TreeVisitor).
      const current: TreeEntry = {
        path: '',
        dir: '',
        name: '',
        type: 'file',
        size: 0,
        mtimeMs: 0,
        linkname: undefined,
      };
      const fill = (path: string, dir: string, base: string, type: TreeEntry['type'], h: TarHeader) => {
        current.path = path;
        current.dir = dir;
        current.name = base;
        current.type = type;
        current.size = h.size;
        current.mtimeMs = h.mtimeMs;
        current.linkname = undefined;
        return current;
      };

      const deliver = (data: Buffer | null, entry: TreeEntry) => {
        if (entry.type === 'file' && data === null) {
          out.skipped.push({ path: entry.path, reason: `larger than ${limits.maxEntryBytes} bytes` });
        }
        visit(entry, entry.type === 'file' && data ? data : EMPTY);
        last = entry.path;
      };

      const parser = new TarParser(onEntry, { maxEntryBytes: limits.maxEntryBytes });
      const feed = (chunk: Buffer): boolean => {
        parser.push(chunk);
        if (parser.offset > limits.maxTotalBytes) {
          out.error = { message: limitReason(limits.maxTotalBytes), afterEntry: last, limit: true };
          return false;
        }
        // Not `ended`: another archive (the next gzip member of a capture) may follow the marker.
        return !parser.done;
      };
      if (opts.compression === 'none' && opts.path) {
        try {
          for await (const chunk of fileChunks(opts.path)) {
            source.bytesRead += chunk.length;
            if (!feed(chunk)) break;
          }
          if (!out.error) parser.end();
        } catch (e) {
          out.error ??= { message: describeStreamError(e), afterEntry: last };
        }
        return out;
      }
      const raw = open();
      raw.on('data', (c: Buffer) => {
        source.bytesRead += c.length;
      });
      if (opts.compression === 'zstd') {
        // The child's stdout straight into the parser; its exit status says whether all was read.
        const z = zstdChild();
        raw.on('error', (e) => z.output.destroy(e));
        raw.pipe(z.input);
        try {
          for await (const chunk of z.output) if (!feed(chunk as Buffer)) break;
          if (!out.error && !parser.done) await z.finished;
          if (!out.error) parser.end();
        } catch (e) {
          out.error ??= { message: describeStreamError(e), afterEntry: last };
        } finally {
          raw.destroy();
          z.kill();
        }
        return out;
      }
      const decoder = decompressor(opts.compression, { inputBytes: opts.size });
      const stream: Readable = decoder ? raw.pipe(decoder) : raw;
      if (decoder) raw.on('error', (e) => decoder.destroy(e));
      try {
        for await (const chunk of stream) if (!feed(chunk as Buffer)) break;
        if (!out.error) parser.end();
      } catch (e) {
        out.error ??= { message: describeStreamError(e), afterEntry: last };
      } finally {
        raw.destroy();
        decoder?.destroy();
      }
      return out;
    },
  };
  return source;
}

/** A last path part that cleanPath leaves alone and that cannot climb out of the tree. */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('\\');
}

/** Opens a file path as a tar tree. */
export function tarFile(path: string, compression: Compression, limits?: ReadLimits): TreeSource {
  return tarTree(path, () => createReadStream(path, { highWaterMark: 1024 * 1024 }), {
    compression,
    limits,
    size: statSync(path).size,
    path,
  });
}
