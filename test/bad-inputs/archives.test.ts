import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/fixtures.js';
import { captureTar, gzipSync, limits, outcome, tarOf, v1Snapshot } from './helpers.js';

/**
 * The catalogue of bad cgroup captures (test/bad-inputs/README.md): one test per case, each with
 * the exact line memlens prints. Warnings mean the input was read as far as it goes; an error
 * means nothing in it could be used.
 */
const CAPTURE = readFileSync(fixturePath('healthy'));
const STAT_DIR = 'pod0b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10';

describe('bad captures', () => {
  it('truncated gzip: keeps the snapshots before the cut and names the last entry read', async () => {
    const cut = CAPTURE.subarray(0, Math.floor(CAPTURE.length * 0.6));
    const o = await outcome('memory-cut.tar.gz', cut);
    expect(o).toMatchObject({
      warnings: [
        'memory-cut.tar.gz: the archive ends early (truncated) after entry 2026-11-27T19:25:38Z/kubepods/pod5b8f6b28-0092-5173-90b6-463d49c6aa8c/19ef7ce27293f81d1bf16e8fe5215efaab9eb4c86a88382e8d48acf3814a39a3/memory.memsw.max_usage_in_bytes; kept the 536 cgroup files read so far (the last snapshot may be incomplete). Copy the file again completely to read the rest',
      ],
    });
  });

  it('truncated tar: an entry cut in the middle of its contents', async () => {
    const tar = captureTar();
    const o = await outcome('memory-cut.tar', tar.subarray(0, 512 * 1001 + 100));
    expect(o).toMatchObject({
      warnings: [
        'memory-cut.tar: the archive ends early (truncated) after entry 2026-11-27T19:25:40Z/kubepods/pod5b8f6b28-0092-5173-90b6-463d49c6aa8c/memory.memsw.failcnt; kept the 354 cgroup files read so far (the last snapshot may be incomplete). Copy the file again completely to read the rest',
      ],
    });
  });

  it('gzip whose data is corrupt from the start', async () => {
    const bad = Buffer.from(CAPTURE);
    bad.fill(0x55, 10, 200);
    expect(await outcome('capture.tar.gz', bad)).toEqual({
      error:
        'capture.tar.gz: cannot be decompressed: the gzip data is corrupt (invalid code lengths set) at its start. Check that the file was copied completely ("gzip -t" tells)',
    });
  });

  it('wrong magic: a zip named .tar.gz', async () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000'), Buffer.alloc(100, 1)]);
    expect(await outcome('capture.tar.gz', zip)).toEqual({
      error:
        'capture.tar.gz: is in no format memlens knows: it is a zip archive; unzip it and give memlens the folder or the files inside',
    });
  });

  it('wrong magic: an xz-compressed tar', async () => {
    const xz = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100, 7)]);
    expect(await outcome('capture.tar.xz', xz)).toEqual({
      error:
        'capture.tar.xz: is in no format memlens knows: it is xz-compressed, which memlens does not read; decompress it with "xz -d" (or recompress it with gzip or zstd)',
    });
  });

  it('wrong magic: a tar whose first header is damaged', async () => {
    const tar = Buffer.from(captureTar());
    tar[20] ^= 0xff;
    expect(await outcome('capture.tar', tar)).toEqual({
      error:
        'capture.tar: cannot be read: a tar header is corrupt (checksum mismatch at byte 0) at its start. Check that the file was copied completely.',
    });
  });

  it('an archive of empty files (tar of a live /sys/fs/cgroup)', async () => {
    const tar = await tarOf(v1Snapshot('2026-11-27T19:00:00Z').map((e) => ({ name: e.name })));
    expect(await outcome('live.tar', tar)).toEqual({
      error:
        'live.tar: all 3 cgroup files are empty. This is what "tar" of a live /sys/fs/cgroup produces (cgroupfs reports every file as 0 bytes). Capture with scripts/memlens-capture.sh, or copy each file with cat, then try again.',
    });
  });

  it('entries named with .. or an absolute path are named and never read', async () => {
    const tar = await tarOf([
      ...v1Snapshot('2026-11-27T19:00:00Z'),
      { name: '../../etc/cron.d/memory.stat', body: 'total_rss 1\n' },
      { name: '/etc/memory.usage_in_bytes', body: '1\n' },
    ]);
    expect(await outcome('capture.tar', tar)).toMatchObject({
      warnings: [
        'capture.tar: entry ../../etc/cron.d/memory.stat skipped: path leaves the archive root; memlens writes no entry anywhere, and a real capture holds no such path: check where this archive came from',
        'capture.tar: entry /etc/memory.usage_in_bytes skipped: path leaves the archive root; memlens writes no entry anywhere, and a real capture holds no such path: check where this archive came from',
      ],
      samples: 7,
    });
  });

  it('symbolic and hard links are named and not followed', async () => {
    const dir = `2026-11-27T19:00:00Z/kubepods/burstable/${STAT_DIR}/${'c'.repeat(64)}`;
    const tar = await tarOf([
      ...v1Snapshot('2026-11-27T19:00:00Z'),
      { name: `${dir}/memory.failcnt`, type: 'symlink', linkname: '/etc/shadow' },
      { name: `${dir}/memory.max_usage_in_bytes`, type: 'link', linkname: `${dir}/memory.usage_in_bytes` },
    ]);
    expect(await outcome('capture.tar', tar)).toMatchObject({
      warnings: [
        `capture.tar: entry ${dir}/memory.failcnt skipped: symbolic link to /etc/shadow not followed (a capture holds copies of the files, made with cat, not links)`,
        `capture.tar: entry ${dir}/memory.max_usage_in_bytes skipped: hard link to ${dir}/memory.usage_in_bytes not followed (a capture holds copies of the files, made with cat, not links)`,
      ],
      samples: 7,
    });
  });

  it('gzip bomb: stops at the read limit and says which flag raises it', async () => {
    const bomb = gzipSync(
      await tarOf([{ name: '2026-11-27T19:00:00Z/kubepods/memory.stat', body: Buffer.alloc(8 << 20, 0x20) }]),
    );
    expect(bomb.length).toBeLessThan(16 * 1024);
    expect(await outcome('bomb.tar.gz', bomb, limits(1 << 20))).toEqual({
      error:
        'bomb.tar.gz: cannot be read: reading stopped after 1048576 decompressed bytes, the read limit (--max-input-bytes) at its start, before any cgroup memory file: a compression bomb? If it really is that large, raise --max-input-bytes.',
    });
  });

  it('gzip bomb after real snapshots: keeps them', async () => {
    const bomb = gzipSync(
      await tarOf([
        ...v1Snapshot('2026-11-27T19:00:00Z'),
        { name: '2026-11-27T19:00:10Z/kubepods/memory.stat', body: Buffer.alloc(8 << 20, 0x20) },
      ]),
    );
    expect(await outcome('bomb.tar.gz', bomb, limits(1 << 20))).toMatchObject({
      warnings: [
        `bomb.tar.gz: reading stopped after 1048576 decompressed bytes, the read limit (--max-input-bytes) after entry 2026-11-27T19:00:00Z/kubepods/burstable/${STAT_DIR}/${'c'.repeat(64)}/memory.stat; kept the 3 cgroup files read so far (the last snapshot may be incomplete). If the capture really is that large, raise --max-input-bytes`,
      ],
      samples: 7,
    });
  });

  it('a duplicated snapshot: the first repeated entry is named', async () => {
    const snap = v1Snapshot('2026-11-27T19:00:00Z');
    const tar = await tarOf([...snap, ...v1Snapshot('2026-11-27T19:00:10Z'), ...snap]);
    expect(await outcome('capture.tar', tar)).toMatchObject({
      warnings: [
        `capture.tar: 7 values were read more than once for the same cgroup and snapshot time, the first in entry ${snap[0].name} (a snapshot repeated in the archive?); the last one read was kept`,
      ],
    });
  });

  it('snapshot times in the past (a clock never set) are kept and flagged', async () => {
    const tar = await tarOf([...v1Snapshot('1970-01-01T00:00:10Z'), ...v1Snapshot('1970-01-01T00:00:20Z')]);
    expect(await outcome('capture.tar', tar)).toMatchObject({
      warnings: [
        "capture.tar: 2 of 2 snapshot times (first 1970-01-01T00:00:10.000Z) are before the year 2000: the capture host's clock was wrong, or the folders were renamed. They were kept as they are; they will not line up with other inputs",
      ],
      samples: 14,
    });
  });

  it('snapshot times in the future are kept and flagged', async () => {
    const tar = await tarOf(v1Snapshot('2099-01-01T00:00:00Z'));
    expect(await outcome('capture.tar', tar)).toMatchObject({
      warnings: [
        "capture.tar: 1 of 1 snapshot times (first 2099-01-01T00:00:00.000Z) are in the future (after this machine's clock): the capture host's clock was wrong, or the folders were renamed. They were kept as they are; they will not line up with other inputs",
      ],
    });
  });

  it('snapshots out of order in the archive are read in time order, without a word', async () => {
    const tar = await tarOf([
      ...v1Snapshot('2026-11-27T19:00:20Z', 3 << 20),
      ...v1Snapshot('2026-11-27T19:00:00Z', 1 << 20),
      ...v1Snapshot('2026-11-27T19:00:10Z', 2 << 20),
    ]);
    const o = await outcome('capture.tar', tar);
    expect(o).toEqual({ warnings: [], samples: 21 });
  });

  it('negative values, NaN and Inf in cgroup files are named with their line', async () => {
    const dir = `2026-11-27T19:00:00Z/kubepods/burstable/${STAT_DIR}/${'c'.repeat(64)}`;
    const tar = await tarOf([
      { name: `${dir}/memory.usage_in_bytes`, body: '-4096\n' },
      { name: `${dir}/memory.limit_in_bytes`, body: 'NaN\n' },
      { name: `${dir}/memory.stat`, body: 'cache 1\nrss Inf\ntotal_rss -1\ntotal_cache 4096\n' },
    ]);
    expect(await outcome('capture.tar', tar)).toMatchObject({
      warnings: [
        `capture.tar: ${dir}/memory.usage_in_bytes:1: "-4096" is negative, which no cgroup memory value is; value skipped`,
        `capture.tar: ${dir}/memory.limit_in_bytes:1: "NaN" is not a number; value skipped`,
        `capture.tar: ${dir}/memory.stat:2: "rss Inf" is not a number; value skipped`,
        `capture.tar: ${dir}/memory.stat:3: "total_rss -1" is negative, which no cgroup memory value is; value skipped`,
      ],
      samples: 2,
    });
  });
});
