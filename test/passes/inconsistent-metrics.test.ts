import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/import/types.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { analyzeWith, FIXTURES, loadFixture, MiB } from '../helpers/fixtures.js';
import type { MetricsOptions } from '../helpers/prometheus.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

const PASS = 'inconsistent-metrics';

/** A copy of a capture with one cgroup file's values changed (the rest untouched). */
function withField(ds: Dataset, field: string, change: (v: number) => number): Dataset {
  const i = ds.table.fields.indexOf(field);
  const columns = ds.table.columns.map((c, j) =>
    j === i ? c.map((v) => (Number.isNaN(v) ? v : change(v))) : c,
  );
  return { ...ds, table: { ...ds.table, columns } };
}

interface Case {
  name: string;
  fixture: FixtureName;
  metrics?: MetricsOptions;
  /** Change the capture itself. */
  edit?: (ds: Dataset) => Dataset;
  container: string;
  expect: { code: string; severity: string }[];
}

const SHIPPER = 'logs/log-shipper-6f7d/shipper';
const CART = 'shop/cart-5b6c/cart';
const HEALTHY = 'platform/config-server-0/server';

const cases: Case[] = [
  {
    name: 'usage scraped two samples earlier than the working set of a growing container',
    fixture: 'leak',
    metrics: { tweak: (m, _k, i, v, at) => (m === 'container_memory_usage_bytes' ? at('usage', i - 2) : v) },
    container: CART,
    expect: [{ code: 'inconsistent-metrics/usage-below-working-set', severity: 'warning' }],
  },
  {
    name: 'an exported inactive file one sample stale: working set ≠ usage − inactive file',
    fixture: 'readTwice',
    metrics: {
      breakdown: true,
      tweak: (m, _k, i, v, at) =>
        m === 'container_memory_total_inactive_file_bytes' ? at('inactiveFile', i - 1) : v,
    },
    container: 'search/query-7c5d/query',
    expect: [{ code: 'inconsistent-metrics/working-set-formula', severity: 'warning' }],
  },
  {
    name: 'five missing scrapes in a row',
    fixture: 'healthy',
    metrics: { drop: (_k, i) => i >= 4 && i < 9 },
    container: HEALTHY,
    expect: [{ code: 'inconsistent-metrics/gaps', severity: 'info' }],
  },
  {
    name: 'failcnt back to zero mid-series without a new container (cAdvisor restarted)',
    fixture: 'cachePinned',
    metrics: {
      tweak: (m, _k, i, v, at) => (m === 'container_memory_failcnt' && i >= 12 ? v - at('failcnt', 12) : v),
    },
    container: SHIPPER,
    expect: [{ code: 'inconsistent-metrics/counter-resets', severity: 'info' }],
  },
  {
    name: 'exported twice with equal values',
    fixture: 'healthy',
    metrics: { duplicate: { scale: 1 } },
    container: HEALTHY,
    expect: [{ code: 'inconsistent-metrics/duplicated-series', severity: 'info' }],
  },
  {
    name: 'exported twice with different values',
    fixture: 'healthy',
    metrics: { duplicate: { scale: 1.01 } },
    container: HEALTHY,
    expect: [{ code: 'inconsistent-metrics/duplicated-series', severity: 'warning' }],
  },
  {
    name: 'v1 usage_in_bytes 64 MiB above memory.stat',
    fixture: 'healthy',
    edit: (ds) => withField(ds, 'memory.usage_in_bytes', (v) => v + 64 * MiB),
    container: HEALTHY,
    expect: [{ code: 'inconsistent-metrics/usage-vs-stat', severity: 'info' }],
  },
  {
    name: 'usage of 41 MiB with 0.1 MiB of rss + cache is right: the rest is kernel memory',
    fixture: 'kernelOom',
    container: 'ops/tmp-cleaner-2b9a/cleaner',
    expect: [],
  },
  {
    name: 'a restarted container’s counters start again: explained by its container IDs',
    fixture: 'restarted',
    container: 'shop/checkout-7d9f/api',
    expect: [],
  },
];

describe('inconsistent-metrics', () => {
  it.each(cases)('$name', async (c) => {
    let ds = await loadFixture(c.fixture);
    if (c.edit) ds = c.edit(ds);
    const r = analyzeWith([c.metrics ? metricsFromCapture(ds, c.metrics) : ds]);
    const got = r.findings.filter((f) => f.pass === PASS && f.entity.key === c.container);
    expect(got.map((f) => ({ code: f.code, severity: f.severity }))).toEqual(c.expect);
    for (const f of got) expect(f.to).toBeGreaterThanOrEqual(f.from);
  });

  it.each(Object.keys(FIXTURES) as FixtureName[])('trusts the real capture %s', async (name) => {
    const r = analyzeWith([await loadFixture(name)]);
    expect(r.findings.filter((f) => f.pass === PASS).map((f) => `${f.entity.key}: ${f.title}`)).toEqual([]);
  });

  it('gives the numbers of the worst sample', async () => {
    const ds = withField(await loadFixture('healthy'), 'memory.usage_in_bytes', (v) => v + 64 * MiB);
    const [f] = analyzeWith([ds]).findings.filter((x) => x.pass === PASS);
    expect(f.evidence.differenceBytes).toBeGreaterThan(63 * MiB);
    expect(f.evidence.reportedBytes - f.evidence.expectedBytes).toBe(f.evidence.differenceBytes);
    expect(f.evidence.samples).toBe(f.evidence.totalSamples);
  });
});
