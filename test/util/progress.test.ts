import { describe, expect, it } from 'vitest';
import { importCapture } from '../../src/import/cgroup/capture.js';
import { memoryTree } from '../../src/source/memory.js';
import type { ImportProgress } from '../../src/util/progress.js';
import { createProgress, progressLine } from '../../src/util/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 100, write: (s: string) => writes.push(s), writes };
}

const p = (bytesRead: number, entries: number): ImportProgress => ({
  bytesRead,
  bytesTotal: 80 * 1024 * 1024,
  entries,
  snapshots: Math.floor(entries / 4000),
});

describe('progress on stderr', () => {
  it('says bytes read of the total, entries and snapshots', () => {
    expect(progressLine('/data/node-a.tar.gz', p(40 * 1024 * 1024, 820_000))).toBe(
      'memlens: 40 MiB of 80 MiB (50 %), 820,000 entries, 205 snapshots · node-a.tar.gz',
    );
    expect(progressLine('dir', { bytesRead: 1536, entries: 3, snapshots: 1 })).toBe(
      'memlens: 1.5 KiB read, 3 entries, 1 snapshots · dir',
    );
  });

  it('is silent when stderr is not a terminal, and with --quiet', () => {
    expect(createProgress(fakeStream(false))).toBeUndefined();
    expect(createProgress(fakeStream(true), { quiet: true })).toBeUndefined();
  });

  it('shows nothing for a short import, then redraws in place at most every interval, and clears', () => {
    let now = 0;
    const stream = fakeStream(true);
    const sink = createProgress(stream, { now: () => now, delayMs: 1000, intervalMs: 200 })!('x.tar.gz');
    sink.update(p(1, 10));
    now = 900;
    sink.update(p(2, 20));
    expect(stream.writes).toEqual([]);
    now = 1000;
    sink.update(p(3, 30));
    now = 1100;
    sink.update(p(4, 40)); // within the interval: skipped
    now = 1200;
    sink.update(p(5, 50));
    expect(stream.writes).toHaveLength(2);
    expect(stream.writes[0]).toMatch(/^\rmemlens: .*30 entries.* · x\.tar\.gz\x1b\[K$/);
    expect(stream.writes[1]).toMatch(/50 entries/);
    sink.done();
    expect(stream.writes.at(-1)).toBe('\r\x1b[K');
    // A short import that never drew anything leaves nothing to clear.
    const quiet = fakeStream(true);
    createProgress(quiet, { now: () => 0 })!('y').done();
    expect(quiet.writes).toEqual([]);
  });

  it('is fed by the capture import with entries and snapshots as they are read', async () => {
    const files: Record<string, string> = {};
    for (let k = 0; k < 3; k++) {
      for (let c = 0; c < 4000; c++)
        files[`2026-01-01T00:00:0${k}Z/kubepods/pod${c}/memory.usage_in_bytes`] = '1\n';
    }
    const seen: ImportProgress[] = [];
    await importCapture(memoryTree('big', files), { progress: (x) => seen.push({ ...x }) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toMatchObject({ entries: 12_000, snapshots: 3 });
    for (let i = 1; i < seen.length; i++) expect(seen[i].entries).toBeGreaterThanOrEqual(seen[i - 1].entries);
  });
});
