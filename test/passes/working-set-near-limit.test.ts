import { describe, expect, it } from 'vitest';
import { MiB } from '../helpers/fixtures.js';
import type { PassCase } from '../helpers/pass-case.js';
import { passFindings } from '../helpers/pass-case.js';

const PASS = 'working-set-near-limit';

interface Case extends PassCase {
  code?: 'working-set-near-limit/near' | 'working-set-near-limit/at-limit';
  /** The part that made up most of the working set at the peak. */
  mostly?: 'anonBytes' | 'activeFileBytes' | 'shmemBytes' | 'kernelBytes' | 'activeOrShmemBytes';
}

const cases: Case[] = [
  {
    name: 'a file read twice: 91 % of the limit, mostly active file',
    fixture: 'readTwice',
    container: 'search/query-7c5d/query',
    code: 'working-set-near-limit/near',
    mostly: 'activeFileBytes',
  },
  {
    name: 'tmpfs filled to the limit: at the limit, shmem',
    fixture: 'tmpfsOom',
    container: 'media/transcoder-9f8e/transcoder',
    code: 'working-set-near-limit/at-limit',
    mostly: 'shmemBytes',
  },
  {
    name: 'kernel memory filled to the limit',
    fixture: 'kernelOom',
    container: 'ops/tmp-cleaner-2b9a/cleaner',
    code: 'working-set-near-limit/at-limit',
    mostly: 'kernelBytes',
  },
  {
    name: 'a leak before its kill: at the limit, anon',
    fixture: 'oomAndCache',
    container: 'shop/checkout-7d9f/api',
    code: 'working-set-near-limit/at-limit',
    mostly: 'anonBytes',
  },
  { name: 'steady control at 42 %', fixture: 'healthy', container: 'platform/config-server-0/server' },
  {
    name: 'usage at the limit, working set at 26 %',
    fixture: 'cachePinned',
    container: 'logs/log-shipper-6f7d/shipper',
  },
  { name: 'a GC sawtooth up to 62 %', fixture: 'leak', container: 'shop/recommender-8d2f/model' },
  {
    name: 'Prometheus without the breakdown: active file and shmem together, estimated',
    fixture: 'readTwice',
    metrics: {},
    container: 'search/query-7c5d/query',
    code: 'working-set-near-limit/near',
    mostly: 'activeOrShmemBytes',
  },
  {
    name: 'Prometheus with active file exported: measured',
    fixture: 'readTwice',
    metrics: { breakdown: true },
    container: 'search/query-7c5d/query',
    code: 'working-set-near-limit/near',
    mostly: 'activeFileBytes',
  },
  {
    name: 'warnShare 0.95: 91 % is no longer near',
    fixture: 'readTwice',
    set: { warnShare: '0.95' },
    container: 'search/query-7c5d/query',
  },
  {
    name: 'criticalShare 1: the leak is near, not at, the limit',
    fixture: 'oomAndCache',
    set: { criticalShare: '1' },
    container: 'shop/checkout-7d9f/api',
    code: 'working-set-near-limit/near',
    mostly: 'anonBytes',
  },
];

describe('working-set-near-limit', () => {
  it.each(cases)('$name', async (c) => {
    const got = await passFindings(PASS, c);
    if (!c.code) {
      expect(got).toEqual([]);
      return;
    }
    expect(got.map((f) => f.code)).toEqual([c.code]);
    const [f] = got;
    const e = f.evidence;
    expect(f.severity).toBe(c.code.endsWith('at-limit') ? 'critical' : 'warning');
    expect(e.peakShare).toBeCloseTo(e.workingSetBytes / e.limitBytes, 10);
    expect(e.peakShare).toBeGreaterThanOrEqual(0.9);
    const parts = [
      'anonBytes',
      'activeFileBytes',
      'shmemBytes',
      'kernelBytes',
      'activeOrShmemBytes',
    ] as const;
    const largest = parts.reduce((a, p) => ((e[p] ?? -1) > (e[a] ?? -1) ? p : a));
    expect(largest).toBe(c.mostly);
    expect(e[c.mostly!]).toBeGreaterThan(0.4 * e.workingSetBytes);
    expect(e.estimated === 1).toBe(c.mostly === 'activeOrShmemBytes');
    if (c.mostly === 'activeOrShmemBytes') expect(f.message).toContain('cannot tell them apart');
    expect(f.message).toContain(`of the ${Math.round(e.limitBytes / MiB)} MiB limit`);
  });
});
