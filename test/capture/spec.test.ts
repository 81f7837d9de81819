import { describe, expect, it } from 'vitest';
import {
  parseDuration,
  snapshotFolder,
  snapshotsFor,
  V1_FILES,
  V1_ONLY_FILES,
  V2_FILES,
  V2_ONLY_FILES,
} from '../../src/capture/spec.js';
import { placeEntry } from '../../src/import/cgroup/layout.js';
import { isCgroupMemoryFile } from '../../src/import/cgroup/parse-file.js';

describe('capture layout spec', () => {
  it('names a snapshot folder by its UTC second, and the importer reads that time back', () => {
    const t = Date.UTC(2026, 10, 27, 19, 16, 55, 730);
    expect(snapshotFolder(t)).toBe('2026-11-27T19:16:55Z');
    const placed = placeEntry(`${snapshotFolder(t)}/kubepods/burstable/memory.stat`);
    expect(placed).toEqual({
      t: Date.UTC(2026, 10, 27, 19, 16, 55),
      cgroup: '/kubepods/burstable',
      file: 'memory.stat',
    });
  });

  it('lists only files the importer reads as cgroup memory files', () => {
    for (const f of [...V1_FILES, ...V2_FILES]) expect(isCgroupMemoryFile(f), f).toBe(true);
  });

  it('marks a cgroup version only by files the other version lacks', () => {
    expect(V1_ONLY_FILES.has('memory.usage_in_bytes')).toBe(true);
    expect(V1_ONLY_FILES.has('memory.oom_control')).toBe(true);
    expect(V2_ONLY_FILES.has('memory.current')).toBe(true);
    expect(V2_ONLY_FILES.has('memory.events')).toBe(true);
    expect(V1_ONLY_FILES.has('memory.stat')).toBe(false);
    expect(V2_ONLY_FILES.has('memory.stat')).toBe(false);
  });

  it.each([
    ['90s', 90],
    ['90', 90],
    ['15m', 900],
    ['2h', 7200],
    ['2H', 7200],
  ])('reads the duration %s as %i seconds', (text, secs) => {
    expect(parseDuration(text)).toBe(secs);
  });

  it.each(['', '1.5m', '5x', '-3s', '1h30m'])('refuses the duration %j', (text) => {
    expect(parseDuration(text)).toBeNaN();
  });

  it('takes one snapshot now and one per interval until the duration has passed', () => {
    expect(snapshotsFor(600, 10)).toBe(61);
    expect(snapshotsFor(5, 10)).toBe(1);
    expect(snapshotsFor(2, 1)).toBe(3);
  });
});
