import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveEntry } from '../../src/capture/archive.js';
import { gzipTarMember } from '../../src/capture/archive.js';
import { snapshotFolder } from '../../src/capture/spec.js';
import { archiveEntries, BUSYBOX, importArchive } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'memlens-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 27, 19, 0, 0);
const cgroup = 'kubepods/burstable/pod3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b/0123456789abcdef0123456789abcdef';
const snapshot = (i: number, usage: number): ArchiveEntry[] => {
  const folder = snapshotFolder(T0 + i * 10_000);
  const mtime = new Date(T0 + i * 10_000);
  const file = (name: string, text: string): ArchiveEntry => ({
    name: `${folder}/${cgroup}/${name}`,
    type: 'file',
    mtime,
    data: Buffer.from(text),
  });
  return [
    { name: folder, type: 'directory', mtime },
    file('memory.usage_in_bytes', `${usage}\n`),
    file('memory.limit_in_bytes', `${64 * 1024 * 1024}\n`),
    file('memory.stat', `cache 0\nrss ${usage}\ntotal_cache 0\ntotal_rss ${usage}\ntotal_inactive_file 0\n`),
  ];
};
const manifest = (complete: boolean, snapshots: number): ArchiveEntry => ({
  name: 'manifest.json',
  type: 'file',
  mtime: new Date(T0),
  data: Buffer.from(
    JSON.stringify({ format: 'memlens-capture', version: 1, host: `node-${complete}`, snapshots, complete }),
  ),
});

describe('a capture written one gzip member per snapshot', () => {
  it('imports as one tree: every snapshot, and the last manifest wins', async () => {
    const members = [
      await gzipTarMember([manifest(false, 0)]),
      await gzipTarMember(snapshot(0, 1000 * 4096)),
      await gzipTarMember(snapshot(1, 2000 * 4096)),
      await gzipTarMember(snapshot(2, 3000 * 4096)),
      await gzipTarMember([manifest(true, 3)]),
    ];
    const path = join(dir, 'whole.tar.gz');
    writeFileSync(path, Buffer.concat(members));
    const ds = await importArchive(path);
    expect(ds.input.warnings).toEqual([]);
    expect(ds.input.details).toMatchObject({
      snapshots: 3,
      cgroups: 1,
      manifest: { complete: true, snapshots: 3 },
    });
    expect(ds.node).toBe('node-true');
    expect([...ds.table.t]).toEqual([T0, T0 + 10_000, T0 + 20_000]);
  });

  it('cut off inside a member, keeps the snapshots before it and says the archive ends early', async () => {
    const whole = [
      await gzipTarMember([manifest(false, 0)]),
      await gzipTarMember(snapshot(0, 1000 * 4096)),
      await gzipTarMember(snapshot(1, 2000 * 4096)),
    ];
    const last = await gzipTarMember(snapshot(2, 3000 * 4096));
    const path = join(dir, 'cut.tar.gz');
    writeFileSync(path, Buffer.concat([...whole, last.subarray(0, Math.floor(last.length / 2))]));
    const ds = await importArchive(path);
    expect(ds.input.details).toMatchObject({ snapshots: 2 });
    expect(ds.input.warnings).toEqual([expect.stringMatching(/the archive ends early \(truncated\)/)]);
  });
});

describe('the tar written for each member', () => {
  // A systemd-driver container cgroup: 231 bytes, too long for ustar's 100 + 155, so a pax record.
  const long = `${snapshotFolder(T0)}/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1c2a4e_5b6d_4e8f_9a0b_1c2d3e4f5a6b.slice/cri-containerd-${'ab'.repeat(32)}.scope/memory.events.local`;
  const medium = `${snapshotFolder(T0)}/kubepods/burstable/pod3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b/${'cd'.repeat(32)}/memory.stat`;
  const entries: ArchiveEntry[] = [
    { name: long.slice(0, long.lastIndexOf('/')), type: 'directory', mtime: new Date(T0) },
    { name: long, type: 'file', mtime: new Date(T0), data: Buffer.from('low 0\nhigh 0\n') },
    { name: medium, type: 'file', mtime: new Date(T0), data: Buffer.alloc(1500, 0x61) },
    { name: 'manifest.json', type: 'file', mtime: new Date(T0), data: Buffer.from('{}') },
  ];

  it('keeps every name and byte, whatever the length, as tar-stream reads it', async () => {
    const gz = await gzipTarMember(entries);
    const got = await archiveEntries(gz);
    expect(got.map((e) => [e.name, e.type, e.data.toString('latin1')])).toEqual([
      [long.slice(0, long.lastIndexOf('/')), 'directory', ''],
      [long, 'file', 'low 0\nhigh 0\n'],
      [medium, 'file', 'a'.repeat(1500)],
      ['manifest.json', 'file', '{}'],
    ]);
  });

  it.each([
    ['GNU tar', ['tar']],
    ...(BUSYBOX ? [['busybox tar', [BUSYBOX, 'tar']] as [string, string[]]] : []),
  ])('lists the same names and sizes with %s', async (_, tar) => {
    const path = join(dir, 'names.tar.gz');
    writeFileSync(path, await gzipTarMember(entries));
    const listed = execFileSync(tar[0], [...tar.slice(1), '-tzf', path], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(listed.map((n) => n.replace(/\/$/, ''))).toEqual(entries.map((e) => e.name));
    const out = join(dir, `x-${tar.length}`);
    execFileSync('mkdir', ['-p', out]);
    execFileSync(tar[0], [...tar.slice(1), '-xzf', path, '-C', out]);
    expect(readFileSync(join(out, long), 'utf8')).toBe('low 0\nhigh 0\n');
    expect(readFileSync(join(out, medium)).length).toBe(1500);
  });
});
