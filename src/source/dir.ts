import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadLimits, TreeSource, WalkOutcome } from './types.js';
import { DEFAULT_READ_LIMITS } from './types.js';

const EMPTY = Buffer.alloc(0);

/** A directory on disk, walked depth-first in name order (stable across runs). */
export function dirTree(root: string, limits: ReadLimits = DEFAULT_READ_LIMITS): TreeSource {
  return {
    name: root,
    async walk(visit): Promise<WalkOutcome> {
      const out: WalkOutcome = { entries: 0, skipped: [] };
      let total = 0;
      const stack: string[] = [''];
      while (stack.length) {
        const rel = stack.pop()!;
        const names = (await readdir(join(root, rel))).sort().reverse();
        for (const name of names) {
          const path = rel ? `${rel}/${name}` : name;
          const st = await lstat(join(root, path));
          out.entries++;
          if (st.isSymbolicLink()) {
            // Never follow links out of the capture: a link could point anywhere on this machine.
            const linkname = await readlink(join(root, path));
            visit({ path, type: 'symlink', size: 0, mtimeMs: st.mtimeMs, linkname }, EMPTY);
            out.skipped.push({ path, reason: `symbolic link to ${linkname} not followed` });
          } else if (st.isDirectory()) {
            visit({ path, type: 'directory', size: 0, mtimeMs: st.mtimeMs }, EMPTY);
            stack.push(path);
          } else if (st.isFile()) {
            if (st.size > limits.maxEntryBytes) {
              out.skipped.push({ path, reason: `larger than ${limits.maxEntryBytes} bytes` });
              visit({ path, type: 'file', size: st.size, mtimeMs: st.mtimeMs }, EMPTY);
              continue;
            }
            total += st.size;
            if (total > limits.maxTotalBytes) {
              out.error = { message: `more than ${limits.maxTotalBytes} bytes in total`, afterEntry: path };
              return out;
            }
            const data = await readFile(join(root, path));
            visit({ path, type: 'file', size: data.length, mtimeMs: st.mtimeMs }, data);
          } else {
            visit({ path, type: 'other', size: 0, mtimeMs: st.mtimeMs }, EMPTY);
          }
        }
      }
      return out;
    },
  };
}
