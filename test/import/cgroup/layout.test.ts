import { describe, expect, it } from 'vitest';
import { normaliseCgroup, placeEntry, timeFromName } from '../../../src/import/cgroup/layout.js';

describe('placeEntry', () => {
  it('finds the time-named snapshot folder at any depth and the cgroup path after it', () => {
    expect(placeEntry('capture/2026-11-27T19:05:48Z/kubepods/burstable/memory.stat')).toEqual({
      t: Date.UTC(2026, 10, 27, 19, 5, 48),
      cgroup: '/kubepods/burstable',
      file: 'memory.stat',
    });
    expect(placeEntry('1764270348/kubepods/memory.current')).toEqual({
      t: 1764270348000,
      cgroup: '/kubepods',
      file: 'memory.current',
    });
  });
  it('leaves the time unknown for a single snapshot and strips mount prefixes', () => {
    const p = placeEntry('sys/fs/cgroup/memory/kubepods/pod1/memory.stat');
    expect(p.t).toBeNaN();
    expect(p.cgroup).toBe('/kubepods/pod1');
  });
  it('does not read container IDs or pod folders as times', () => {
    expect(placeEntry('kubepods/1234567/memory.stat').t).toBeNaN();
  });
});

describe('normaliseCgroup', () => {
  it('restores the kubepods root when the capture started inside it', () => {
    expect(normaliseCgroup(['burstable', 'podx'])).toBe('/kubepods/burstable/podx');
    expect(normaliseCgroup(['kubepods-burstable.slice'])).toBe('/kubepods.slice/kubepods-burstable.slice');
    expect(normaliseCgroup([])).toBe('/');
  });
});

describe('timeFromName', () => {
  it('reads memory-<unixseconds> from a file name', () => {
    expect(timeFromName('/tmp/memory-1764270348.tar.gz')).toBe(1764270348000);
    expect(timeFromName('capture.tar.gz')).toBeNaN();
  });
});
