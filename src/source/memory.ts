import type { TreeEntry, TreeSource, WalkOutcome } from './types.js';
import { cleanPath, splitPath } from './types.js';

export type MemoryTreeFile = string | Buffer | { data: string | Buffer; mtimeMs?: number };

/**
 * A tree from a plain object: `{ 'kubepods/pod1/c1/memory.stat': 'cache 0\n…' }`.
 * Tests build captures this way; `mtimeMs` defaults to 0 (unknown).
 */
export function memoryTree(name: string, files: Record<string, MemoryTreeFile>): TreeSource {
  return {
    name,
    async walk(visit): Promise<WalkOutcome> {
      let entries = 0;
      for (const [path, f] of Object.entries(files)) {
        const raw = typeof f === 'string' || Buffer.isBuffer(f) ? f : f.data;
        const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
        const mtimeMs = typeof f === 'object' && !Buffer.isBuffer(f) ? (f.mtimeMs ?? 0) : 0;
        const clean = cleanPath(path);
        const entry: TreeEntry = {
          path: clean,
          ...splitPath(clean),
          type: 'file',
          size: data.length,
          mtimeMs,
        };
        visit(entry, data);
        entries++;
      }
      return { entries, skipped: [] };
    },
  };
}
