import { describe, expect, it } from 'vitest';
import type { FixtureName } from '../helpers/fixtures.js';
import { analyzeWith, findingsOf, loadFixture, MiB } from '../helpers/fixtures.js';
import type { MetricsOptions } from '../helpers/prometheus.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

const PASS = 'cache-inflated-usage';

interface Case {
  name: string;
  fixture: FixtureName;
  metrics?: MetricsOptions;
  set?: Record<string, string>;
  container: string;
  /** undefined: quiet. Else: would a 90 % usage alert have fired while the working set was safe? */
  fires?: { falseAlert: boolean; minInactiveBytes: number };
}

const cases: Case[] = [
  {
    name: 'log shipper at its limit: a usage alert fires, the working set is at 26 %',
    fixture: 'cachePinned',
    container: 'logs/log-shipper-6f7d/shipper',
    fires: { falseAlert: true, minInactiveBytes: 40 * MiB },
  },
  {
    name: 'reader of a big file: inflated, but usage stays under the alert line',
    fixture: 'oomAndCache',
    container: 'batch/report-writer-5c8b/reader',
    fires: { falseAlert: false, minInactiveBytes: 100 * MiB },
  },
  { name: 'steady control', fixture: 'healthy', container: 'platform/config-server-0/server' },
  {
    name: 'tmpfs is not inactive file cache',
    fixture: 'tmpfsOom',
    container: 'media/transcoder-9f8e/transcoder',
  },
  { name: 'kernel memory is not cache', fixture: 'kernelOom', container: 'ops/tmp-cleaner-2b9a/cleaner' },
  {
    name: 'Prometheus data (inactive file = usage − working set): same verdict',
    fixture: 'cachePinned',
    metrics: {},
    container: 'logs/log-shipper-6f7d/shipper',
    fires: { falseAlert: true, minInactiveBytes: 40 * MiB },
  },
  {
    name: 'a higher minShare leaves out the shipper (73 % of usage is cache)',
    fixture: 'cachePinned',
    set: { minShare: '0.8' },
    container: 'logs/log-shipper-6f7d/shipper',
  },
  {
    name: 'a higher minShare keeps the reader (99 % of usage is cache)',
    fixture: 'oomAndCache',
    set: { minShare: '0.8' },
    container: 'batch/report-writer-5c8b/reader',
    fires: { falseAlert: false, minInactiveBytes: 100 * MiB },
  },
  {
    name: 'an alert line at 80 % would have fired for the reader',
    fixture: 'oomAndCache',
    set: { alertShare: '0.8' },
    container: 'batch/report-writer-5c8b/reader',
    fires: { falseAlert: true, minInactiveBytes: 100 * MiB },
  },
];

describe('cache-inflated-usage', () => {
  it.each(cases)('$name', async (c) => {
    const capture = await loadFixture(c.fixture);
    const r = analyzeWith(
      [c.metrics ? metricsFromCapture(capture, c.metrics) : capture],
      c.set ? { [PASS]: c.set } : {},
    );
    const got = findingsOf(r, PASS, c.container);
    if (!c.fires) {
      expect(got).toEqual([]);
      return;
    }
    expect(got).toHaveLength(1);
    const [f] = got;
    expect(f.severity).toBe('info');
    expect(f.evidence.inactiveFileBytes).toBeGreaterThan(c.fires.minInactiveBytes);
    expect(f.evidence.usageBytes - f.evidence.workingSetBytes).toBe(f.evidence.inactiveFileBytes);
    expect((f.evidence.falseAlertSamples ?? 0) > 0).toBe(c.fires.falseAlert);
    if (c.fires.falseAlert) {
      expect(f.evidence.workingSetShareDuringAlert).toBeLessThan(f.evidence.alertShare);
      expect(f.message).toMatch(/would have fired for \d+s \(\d+ samples\) from .* a false alarm/);
    } else expect(f.message).toContain('would not have fired (usage peaked at');
  });
});
