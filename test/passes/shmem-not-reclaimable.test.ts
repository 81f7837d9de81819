import { describe, expect, it } from 'vitest';
import type { FixtureName } from '../helpers/fixtures.js';
import { analyzeWith, findingsOf, loadFixture, MiB, statusOf } from '../helpers/fixtures.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

const PASS = 'shmem-not-reclaimable';

interface Case {
  name: string;
  fixture: FixtureName;
  set?: Record<string, string>;
  container: string;
  expect?: { severity: string; minShmem: number; keptAfterKills?: number };
}

const cases: Case[] = [
  {
    name: '72 MiB of /dev/shm in a 128 MiB limit',
    fixture: 'tmpfs',
    container: 'media/thumbnailer-66c4/worker',
    expect: { severity: 'warning', minShmem: 70 * MiB },
  },
  {
    name: 'tmpfs filled to the limit stays after two OOM kills',
    fixture: 'tmpfsOom',
    container: 'media/transcoder-9f8e/transcoder',
    expect: { severity: 'warning', minShmem: 60 * MiB, keptAfterKills: 2 },
  },
  {
    name: 'a higher warning share makes 56 % of the limit info',
    fixture: 'tmpfs',
    set: { warnShareOfLimit: '0.6' },
    container: 'media/thumbnailer-66c4/worker',
    expect: { severity: 'info', minShmem: 70 * MiB },
  },
  { name: 'steady control', fixture: 'healthy', container: 'platform/config-server-0/server' },
  { name: 'file cache is not shmem', fixture: 'readTwice', container: 'search/query-7c5d/query' },
  {
    name: 'kernel memory from tmpfs inodes is not shmem',
    fixture: 'kernelOom',
    container: 'ops/tmp-cleaner-2b9a/cleaner',
  },
];

describe('shmem-not-reclaimable', () => {
  it.each(cases)('$name', async (c) => {
    const r = analyzeWith([await loadFixture(c.fixture)], c.set ? { [PASS]: c.set } : {});
    const got = findingsOf(r, PASS, c.container);
    if (!c.expect) {
      expect(got).toEqual([]);
      return;
    }
    expect(got).toHaveLength(1);
    const [f] = got;
    expect(f.severity).toBe(c.expect.severity);
    expect(f.evidence.shmemBytes).toBeGreaterThan(c.expect.minShmem);
    expect(f.evidence.shareOfLimit).toBeCloseTo(f.evidence.shmemBytes / f.evidence.limitBytes, 10);
    // Counted as cache by container_memory_cache: the cache holds it.
    expect(f.evidence.cacheBytes).toBeGreaterThanOrEqual(f.evidence.shmemBytes);
    expect(f.evidence.keptAfterKills).toBe(c.expect.keptAfterKills);
  });

  it('is not applicable to Prometheus data, and says tmpfs cannot be told apart from active file', async () => {
    const r = analyzeWith([metricsFromCapture(await loadFixture('tmpfs'), { breakdown: true })]);
    const s = statusOf(r, PASS);
    expect(s.status).toBe('not-applicable');
    expect(s.reason).toContain('cAdvisor does not export shmem');
    expect(s.reason).toContain('cannot be told apart from active file cache');
    expect(r.findings.filter((f) => f.pass === PASS)).toEqual([]);
  });

  it('says so per container when a capture and Prometheus data are analysed together', async () => {
    const r = analyzeWith([await loadFixture('tmpfs'), metricsFromCapture(await loadFixture('healthy'))]);
    const s = statusOf(r, PASS);
    expect(s.status).toBe('ran');
    expect(s.reason).toMatch(/^1 of 2 containers lack shmem \(cAdvisor does not export shmem/);
  });
});
