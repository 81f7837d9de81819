import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tarStream from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInput } from '../../src/import/open.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';
import { scratch } from '../helpers/fixtures.js';

const ctx = { limits: DEFAULT_READ_LIMITS };
const s = scratch();
let good: string;

/** A series capture of 20 snapshots written by the system tar, as the capture script does. */
beforeAll(() => {
  const root = join(s.dir, 'tree');
  for (let i = 0; i < 20; i++) {
    const dir = join(
      root,
      `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      'kubepods',
      'pod11111111-2222-3333-4444-555555555555',
      'a'.repeat(64),
    );
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.usage_in_bytes'), `${(i + 1) * 4096}\n`);
    // Incompressible padding so the archive is long enough to cut in the middle.
    writeFileSync(
      join(dir, 'memory.stat'),
      `total_rss 4096\n${Array.from({ length: 200 }, (_, k) => `k${k} ${Math.floor(Math.random() * 1e12)}`).join('\n')}\n`,
    );
  }
  good = join(s.dir, 'good.tar.gz');
  execFileSync('tar', ['-czf', good, '-C', root, '.']);
});
afterAll(() => s.done());

async function pack(
  entries: { name: string; type?: 'file' | 'symlink' | 'link'; body?: string; linkname?: string }[],
) {
  const p = tarStream.pack();
  for (const e of entries) {
    if (e.type && e.type !== 'file') p.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else p.entry({ name: e.name }, e.body ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('tar sources', () => {
  it('reads a gzip tarball made by the system tar', async () => {
    const ds = await loadInput({ path: good }, ctx);
    expect(ds.input.details.snapshots).toBe(20);
    expect(ds.input.warnings).toEqual([]);
  });

  it('keeps what a truncated archive holds and says it was cut short', async () => {
    const bytes = readFileSync(good);
    const cut = join(s.dir, 'cut.tar.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const ds = await loadInput({ path: cut }, ctx);
    const snaps = ds.input.details.snapshots as number;
    expect(snaps).toBeGreaterThan(0);
    expect(snaps).toBeLessThan(20);
    expect(ds.input.warnings.join('\n')).toMatch(
      /cut\.tar\.gz: the archive ends early \(truncated\) after entry .*kept the \d+ cgroup files read so far/,
    );
  });

  it('reports corrupt gzip data with the entry it reached', async () => {
    const bytes = Buffer.from(readFileSync(good));
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i++) bytes[i] ^= 0xff;
    const bad = join(s.dir, 'bad.tar.gz');
    writeFileSync(bad, bytes);
    const ds = await loadInput({ path: bad }, ctx);
    expect(ds.input.warnings.join('\n')).toMatch(
      /bad\.tar\.gz: (the gzip data is corrupt|a tar header is corrupt|the archive ends early)/,
    );
  });

  it('refuses a file that is in no known format, saying what it looks like and what memlens reads', async () => {
    const junk = join(s.dir, 'junk.bin');
    writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await expect(loadInput({ path: junk }, ctx)).rejects.toThrow(
      'junk.bin: is in no format memlens knows: it is binary data (416 of its first 4096 bytes are not text). Tried cgroup-capture, grafana-csv, prometheus-csv, victoriametrics-csv, prometheus-json, victoriametrics-json, promtool-text, prometheus-exposition; docs/exports.md says how to export each',
    );
  });

  it('never follows links and names entries that try to leave the archive', async () => {
    const tar = await pack([
      { name: 'kubepods/memory.usage_in_bytes', body: '4096\n' },
      { name: '../../etc/memory.stat', body: 'total_rss 1\n' },
      { name: 'kubepods/memory.stat', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'kubepods/memory.failcnt', type: 'link', linkname: 'kubepods/memory.usage_in_bytes' },
    ]);
    const path = join(s.dir, 'memory-1764270000.tar');
    writeFileSync(path, tar);
    const ds = await loadInput({ path }, ctx);
    const w = ds.input.warnings.join('\n');
    expect(w).toContain('entry ../../etc/memory.stat skipped: path leaves the archive root');
    expect(w).toContain('entry kubepods/memory.stat skipped: symbolic link to /etc/passwd not followed');
    expect(w).toContain(
      'entry kubepods/memory.failcnt skipped: hard link to kubepods/memory.usage_in_bytes not followed',
    );
  });

  it('refuses an archive of empty files as tar of a live cgroupfs makes it', async () => {
    const path = join(s.dir, 'live.tar');
    writeFileSync(
      path,
      await pack([{ name: 'kubepods/memory.stat' }, { name: 'kubepods/memory.usage_in_bytes' }]),
    );
    await expect(loadInput({ path }, ctx)).rejects.toThrow(/live\.tar: all 2 cgroup files are empty/);
  });
});

describe('unsafe entries are not imported', () => {
  it('keeps no cgroup from a path with ..', async () => {
    const s2 = scratch();
    try {
      const path = join(s2.dir, 'memory-1764270000.tar');
      writeFileSync(
        path,
        await pack([
          { name: 'kubepods/memory.usage_in_bytes', body: '4096\n' },
          { name: '../x/memory.usage_in_bytes', body: '1\n' },
        ]),
      );
      const ds = await loadInput({ path }, ctx);
      expect(ds.table.series).toEqual(['/kubepods']);
    } finally {
      s2.done();
    }
  });
});

describe('zstd captures', () => {
  const HAS_ZSTD = spawnSync('zstd', ['--version']).status === 0;

  it.skipIf(!HAS_ZSTD)('reads a .tar.zst, and keeps what a truncated one holds', async () => {
    // zstd hands out whole 128 KiB blocks: the archive must span several for a cut to keep some.
    const root = join(s.dir, 'ztree');
    for (let i = 0; i < 40; i++) {
      const dir = join(root, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`, 'kubepods');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'memory.usage_in_bytes'), `${(i + 1) * 4096}\n`);
      writeFileSync(
        join(dir, 'memory.stat'),
        `total_rss 4096\n${Array.from({ length: 3000 }, (_, k) => `k${k} ${Math.floor(Math.random() * 1e12)}`).join('\n')}\n`,
      );
    }
    const tar = join(s.dir, 'z.tar');
    execFileSync('tar', ['-cf', tar, '-C', root, '.']);
    execFileSync('zstd', ['-q', '-f', tar, '-o', `${tar}.zst`]);
    const ds = await loadInput({ path: `${tar}.zst` }, ctx);
    expect(ds.input.details.snapshots).toBe(40);
    expect(ds.input.warnings).toEqual([]);
    const z = readFileSync(`${tar}.zst`);
    const cut = join(s.dir, 'cut.tar.zst');
    writeFileSync(cut, z.subarray(0, Math.floor(z.length * 0.6)));
    const part = await loadInput({ path: cut }, ctx);
    expect(part.input.details.snapshots as number).toBeGreaterThan(0);
    expect(part.input.details.snapshots as number).toBeLessThan(40);
    expect(part.input.warnings.join('\n')).toMatch(/cut\.tar\.zst: the archive ends early \(truncated\)/);
  });

  it('says how to read a .tar.zst when the zstd program is missing', async () => {
    const path = join(s.dir, 'nozstd.tar.zst');
    writeFileSync(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    const saved = process.env.PATH;
    process.env.PATH = join(s.dir, 'empty-path');
    try {
      await expect(loadInput({ path }, ctx)).rejects.toThrow(
        /nozstd\.tar\.zst: is zstd-compressed and the zstd program is not installed; install zstd, or decompress it/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});
