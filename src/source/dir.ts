import type { Dirent } from 'node:fs';
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import type { ReadLimits, TreeEntry, TreeSource, WalkOutcome } from './types.js';
import { DEFAULT_READ_LIMITS, limitReason, linkReason } from './types.js';

const EMPTY = Buffer.alloc(0);

/**
 * A directory on disk (an extracted capture), walked depth-first in name order (stable across
 * runs). Reads are synchronous on purpose: an extracted node-scale capture is a million small
 * files, and a thread-pool round trip per open, stat and read would cost more than the reading.
 * Each file is read into one reused buffer, so `data` is valid only during the visit.
 */
export function dirTree(root: string, limits: ReadLimits = DEFAULT_READ_LIMITS): TreeSource {
  let buf = Buffer.allocUnsafe(64 * 1024);
  const source = {
    name: root,
    bytesRead: 0,
    async walk(visit: (entry: TreeEntry, data: Buffer) => void): Promise<WalkOutcome> {
      const out: WalkOutcome = { entries: 0, skipped: [] };
      let total = 0;

      /** Reads a whole file (a live cgroupfs reports size 0, so read to the end, not to st.size). */
      const readFile = (abs: string): { data: Buffer; mtimeMs: number; tooLarge: boolean } => {
        const fd = openSync(abs, 'r');
        try {
          const st = fstatSync(fd);
          if (st.size > limits.maxEntryBytes) return { data: EMPTY, mtimeMs: st.mtimeMs, tooLarge: true };
          let n = 0;
          for (;;) {
            if (n === buf.length) {
              if (buf.length >= limits.maxEntryBytes)
                return { data: EMPTY, mtimeMs: st.mtimeMs, tooLarge: true };
              const next = Buffer.allocUnsafe(Math.min(buf.length * 2, limits.maxEntryBytes));
              buf.copy(next, 0, 0, n);
              buf = next;
            }
            const r = readSync(fd, buf, n, buf.length - n, null);
            if (r === 0) break;
            n += r;
            // A regular file read to its size is done: spare the read that would return 0. (A
            // live cgroupfs file reports size 0 and is read to the end.)
            if (n === st.size) break;
          }
          return { data: buf.subarray(0, n), mtimeMs: st.mtimeMs, tooLarge: false };
        } finally {
          closeSync(fd);
        }
      };

      // Plain concatenation: path.join normalises every path, a million times over.
      const prefix = root.endsWith('/') ? root : `${root}/`;
      /** Returns false when the walk must stop (the total limit was passed). */
      const walkDir = (rel: string): boolean => {
        let names: Dirent[];
        try {
          names = readdirSync(rel ? prefix + rel : root, { withFileTypes: true });
        } catch (e) {
          out.skipped.push({ path: rel || '.', reason: `cannot be read (${(e as Error).message})` });
          return true;
        }
        names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const d of names) {
          const path = rel ? `${rel}/${d.name}` : d.name;
          const abs = prefix + path;
          out.entries++;
          if (d.isSymbolicLink()) {
            // Never follow links out of the capture: a link could point anywhere on this machine.
            const linkname = readlinkSync(abs);
            visit(
              {
                path,
                dir: rel,
                name: d.name,
                type: 'symlink',
                size: 0,
                mtimeMs: lstatSync(abs).mtimeMs,
                linkname,
              },
              EMPTY,
            );
            out.skipped.push({ path, reason: linkReason('symbolic', linkname) });
          } else if (d.isDirectory()) {
            visit({ path, dir: rel, name: d.name, type: 'directory', size: 0, mtimeMs: 0 }, EMPTY);
            if (!walkDir(path)) return false;
          } else if (d.isFile()) {
            let f: ReturnType<typeof readFile>;
            try {
              f = readFile(abs);
            } catch (e) {
              out.skipped.push({ path, reason: `cannot be read (${(e as Error).message})` });
              continue;
            }
            source.bytesRead += f.data.length;
            if (f.tooLarge) {
              out.skipped.push({ path, reason: `larger than ${limits.maxEntryBytes} bytes` });
              visit({ path, dir: rel, name: d.name, type: 'file', size: 0, mtimeMs: f.mtimeMs }, EMPTY);
              continue;
            }
            total += f.data.length;
            if (total > limits.maxTotalBytes) {
              out.error = {
                message: limitReason(limits.maxTotalBytes, 'bytes'),
                afterEntry: path,
                limit: true,
              };
              return false;
            }
            visit(
              { path, dir: rel, name: d.name, type: 'file', size: f.data.length, mtimeMs: f.mtimeMs },
              f.data,
            );
          } else {
            visit({ path, dir: rel, name: d.name, type: 'other', size: 0, mtimeMs: 0 }, EMPTY);
          }
        }
        return true;
      };
      walkDir('');
      return out;
    },
  };
  return source;
}
