import { describe, expect, it } from 'vitest';
import { analyzeWith, findingsOf, loadFixture, MiB } from '../helpers/fixtures.js';
import type { PassCase } from '../helpers/pass-case.js';
import { passFindings } from '../helpers/pass-case.js';

const PASS = 'anon-growth';
const CART = 'shop/cart-5b6c/cart';

interface Case extends PassCase {
  severity?: 'warning' | 'info';
}

const cases: Case[] = [
  { name: 'a steady 2 MiB/s leak', fixture: 'leak', container: CART, severity: 'warning' },
  { name: 'a GC sawtooth between 24 and 72 MiB', fixture: 'leak', container: 'shop/recommender-8d2f/model' },
  { name: 'a flat 24 MiB without a limit', fixture: 'leak', container: 'ops/log-agent-x7k2/agent' },
  { name: 'steady control', fixture: 'healthy', container: 'platform/config-server-0/server' },
  {
    name: 'noise around a level (shipper)',
    fixture: 'cachePinned',
    container: 'logs/log-shipper-6f7d/shipper',
  },
  { name: 'noise around a level (indexer)', fixture: 'cachePinned', container: 'search/indexer-0/indexer' },
  {
    name: 'a leak killed every few seconds: segments too short to fit',
    fixture: 'oomAndCache',
    container: 'shop/checkout-7d9f/api',
  },
  { name: 'tmpfs growth is not anon growth', fixture: 'tmpfs', container: 'media/thumbnailer-66c4/worker' },
  { name: 'Prometheus: the leak', fixture: 'leak', metrics: {}, container: CART, severity: 'warning' },
  {
    name: 'Prometheus: the sawtooth',
    fixture: 'leak',
    metrics: {},
    container: 'shop/recommender-8d2f/model',
  },
  {
    name: 'warnWithinHours 0: the leak is info (the limit is minutes away, not now)',
    fixture: 'leak',
    set: { warnWithinHours: '0' },
    container: CART,
    severity: 'info',
  },
  {
    name: 'minGrowthBytes above the 38 MiB it grew',
    fixture: 'leak',
    set: { minGrowthBytes: String(64 * MiB) },
    container: CART,
  },
];

describe('anon-growth', () => {
  it.each(cases)('$name', async (c) => {
    const got = await passFindings(PASS, c);
    if (!c.severity) {
      expect(got).toEqual([]);
      return;
    }
    expect(got.map((f) => f.severity)).toEqual([c.severity]);
  });

  it('measures the leak the workload was written to make: 2 MiB a second', async () => {
    const r = analyzeWith([await loadFixture('leak')]);
    const [f] = findingsOf(r, PASS, CART);
    const e = f.evidence;
    const perSecond = e.slopeBytesPerHour / 3600;
    expect(perSecond / (2 * MiB)).toBeGreaterThan(0.9);
    expect(perSecond / (2 * MiB)).toBeLessThan(1.1);
    expect(e.r2).toBeGreaterThan(0.95);
    // Projection: the headroom at the last sample over the slope.
    expect(e.timeToLimitMs).toBeCloseTo((e.headroomBytes / e.slopeBytesPerHour) * 3_600_000, 0);
    expect(e.headroomBytes).toBeLessThan(e.limitBytes);
    expect(f.to - f.from).toBe(e.durationMs);
    expect(f.message).toContain('below the 256 MiB limit in about');
  });
});
