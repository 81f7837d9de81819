import { describe, expect, it } from 'vitest';
import { MiB } from '../helpers/fixtures.js';
import type { PassCase } from '../helpers/pass-case.js';
import { passFindings } from '../helpers/pass-case.js';

const PASS = 'active-file-in-working-set';

interface Case extends PassCase {
  /** Expected active file at the worst sample (± 1 MiB) and whether it is an estimate. */
  active?: { bytes: number; estimated: boolean };
}

const cases: Case[] = [
  {
    name: 'a 64 MiB file read twice',
    fixture: 'readTwice',
    container: 'search/query-7c5d/query',
    active: { bytes: 64 * MiB, estimated: false },
  },
  {
    name: 'a 16 MiB file read twice next to a 96 MiB file read once',
    fixture: 'oomAndCache',
    container: 'batch/report-writer-5c8b/reader',
    active: { bytes: 16 * MiB, estimated: false },
  },
  { name: 'steady control', fixture: 'healthy', container: 'platform/config-server-0/server' },
  { name: 'tmpfs is not active file', fixture: 'tmpfs', container: 'media/thumbnailer-66c4/worker' },
  {
    name: 'cache read once stays inactive',
    fixture: 'cachePinned',
    container: 'logs/log-shipper-6f7d/shipper',
  },
  {
    name: 'Prometheus with container_memory_total_active_file_bytes: measured',
    fixture: 'readTwice',
    metrics: { breakdown: true },
    container: 'search/query-7c5d/query',
    active: { bytes: 64 * MiB, estimated: false },
  },
  {
    name: 'Prometheus without it: estimated as cache − (usage − working set)',
    fixture: 'readTwice',
    metrics: {},
    container: 'search/query-7c5d/query',
    active: { bytes: 64 * MiB, estimated: true },
  },
  {
    name: 'Prometheus cannot tell tmpfs from active file, and says so',
    fixture: 'tmpfs',
    metrics: {},
    container: 'media/thumbnailer-66c4/worker',
    active: { bytes: 72 * MiB, estimated: true },
  },
  {
    name: 'minBytes above 64 MiB',
    fixture: 'readTwice',
    set: { minBytes: String(65 * MiB) },
    container: 'search/query-7c5d/query',
  },
];

describe('active-file-in-working-set', () => {
  it.each(cases)('$name', async (c) => {
    const got = await passFindings(PASS, c);
    if (!c.active) {
      expect(got).toEqual([]);
      return;
    }
    expect(got).toHaveLength(1);
    const [f] = got;
    const e = f.evidence;
    expect(f.severity).toBe('info');
    expect(Math.abs(e.activeFileBytes - c.active.bytes)).toBeLessThan(MiB);
    expect(e.withoutBytes).toBe(e.workingSetBytes - e.activeFileBytes);
    expect(e.share).toBeCloseTo(e.activeFileBytes / e.workingSetBytes, 10);
    expect(e.estimated === 1).toBe(c.active.estimated);
    expect(f.title).toBe(
      c.active.estimated
        ? 'Working set inflated by active file cache or tmpfs'
        : 'Working set inflated by active file cache',
    );
    if (c.active.estimated) expect(f.message).toContain('cannot be told apart');
  });
});
