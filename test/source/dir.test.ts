import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dirTree } from '../../src/source/dir.js';
import type { TreeEntry } from '../../src/source/types.js';
import { scratch } from '../helpers/fixtures.js';

const s = scratch();
afterAll(() => s.done());

describe('dirTree', () => {
  it('walks depth-first in name order, with each entry’s folder and name, and never follows links', async () => {
    const root = join(s.dir, 'cap');
    mkdirSync(join(root, 'b', 'c'), { recursive: true });
    writeFileSync(join(root, 'b', 'memory.stat'), 'rss 1\n');
    writeFileSync(join(root, 'b', 'c', 'memory.current'), '2\n');
    writeFileSync(join(root, 'a.json'), '{}');
    symlinkSync('/etc/passwd', join(root, 'b', 'memory.max'));
    const seen: (Pick<TreeEntry, 'path' | 'dir' | 'name' | 'type'> & { data: string })[] = [];
    const out = await dirTree(root).walk((e, data) =>
      seen.push({ path: e.path, dir: e.dir, name: e.name, type: e.type, data: data.toString() }),
    );
    expect(seen).toEqual([
      { path: 'a.json', dir: '', name: 'a.json', type: 'file', data: '{}' },
      { path: 'b', dir: '', name: 'b', type: 'directory', data: '' },
      { path: 'b/c', dir: 'b', name: 'c', type: 'directory', data: '' },
      { path: 'b/c/memory.current', dir: 'b/c', name: 'memory.current', type: 'file', data: '2\n' },
      { path: 'b/memory.max', dir: 'b', name: 'memory.max', type: 'symlink', data: '' },
      { path: 'b/memory.stat', dir: 'b', name: 'memory.stat', type: 'file', data: 'rss 1\n' },
    ]);
    expect(out.skipped).toEqual([
      {
        path: 'b/memory.max',
        reason:
          'symbolic link to /etc/passwd not followed (a capture holds copies of the files, made with cat, not links)',
      },
    ]);
  });

  it('skips files over the size limit and stops past the total limit, saying where', async () => {
    const root = join(s.dir, 'limits');
    mkdirSync(root);
    writeFileSync(join(root, 'a'), 'x'.repeat(100));
    writeFileSync(join(root, 'b'), 'x'.repeat(10));
    writeFileSync(join(root, 'c'), 'x'.repeat(10));
    const sizes: number[] = [];
    const out = await dirTree(root, { maxEntryBytes: 50, maxTotalBytes: 15 }).walk((_, d) =>
      sizes.push(d.length),
    );
    expect(out.skipped).toEqual([{ path: 'a', reason: 'larger than 50 bytes' }]);
    expect(out.error).toEqual({
      message: 'reading stopped after 15 bytes, the read limit (--max-input-bytes)',
      afterEntry: 'c',
      limit: true,
    });
    expect(sizes).toEqual([0, 10]);
  });
});
