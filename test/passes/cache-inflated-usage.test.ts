import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/messages.js';
import { analyzeFixture, keyValues, MiB, rawCapture } from '../helpers/fixtures.js';
import type { PassCase } from '../helpers/pass-case.js';
import { passFindings } from '../helpers/pass-case.js';

const PASS = 'cache-inflated-usage';

interface Case extends PassCase {
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
    const got = await passFindings(PASS, c);
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
    } else
      expect(f.message).toContain(
        (f.evidence.peakUsageShare ?? 0) >= f.evidence.alertShare
          ? 'would have fired only while the working set was high too (usage peaked at'
          : 'would not have fired (usage peaked at',
      );
  });

  it('does not say an alert would not have fired when usage passed its line with the working set', () => {
    const msg = MESSAGES['cache-inflated-usage/inflated']({
      usageBytes: 200 * MiB,
      workingSetBytes: 100 * MiB,
      inactiveFileBytes: 100 * MiB,
      share: 0.5,
      at: 1_700_000_000_000,
      limitBytes: 1000 * MiB,
      samples: 39,
      totalSamples: 40,
      alertShare: 0.9,
      falseAlertSamples: 0,
      peakUsageShare: 0.99,
    }).message;
    expect(msg).toContain(
      'would have fired only while the working set was high too (usage peaked at 99.0 %)',
    );
    expect(msg).not.toContain('would not have fired');
  });
});

// Foundation cases (real capture read independently with the system tar).
const FIXTURE = 'oomAndCache' as const;
const READER_DIR =
  'kubepods/burstable/podfc5b963c-d36d-32ab-ff24-b3b6c4af39d9/a7e9b9313d19df5b8bdaa1c613add93554761143c4f7ee57b288acee8030d2b6';

describe('cache-inflated-usage on the real capture, read independently', () => {
  it('flags the real cache-heavy reader at its worst moment, with both numbers and the share', async () => {
    const r = await analyzeFixture(FIXTURE);
    const found = r.findings.filter((f) => f.pass === 'cache-inflated-usage');
    expect(found.map((f) => f.entity.key)).toEqual(['batch/report-writer-5c8b/reader']);
    const f = found[0];
    expect(f.severity).toBe('info');

    // Independently: the snapshot where usage − working set (= inactive file, clamped) is largest.
    const raw = rawCapture(FIXTURE);
    let best = { snap: '', usage: 0, gap: -1 };
    let qualifying = 0;
    for (const [snap, cgroups] of raw) {
      const files = cgroups.get(READER_DIR)!;
      const usage = Number(files.get('memory.usage_in_bytes'));
      const gap = Math.min(usage, keyValues(files.get('memory.stat')!).total_inactive_file);
      if (gap >= 16 * MiB && gap / usage >= 0.25) qualifying++;
      if (gap > best.gap) best = { snap, usage, gap };
    }
    expect(f.evidence).toMatchObject({
      usageBytes: best.usage,
      workingSetBytes: best.usage - best.gap,
      inactiveFileBytes: best.gap,
      share: best.gap / best.usage,
      at: Date.parse(best.snap),
      limitBytes: 160 * MiB,
      samples: qualifying,
      totalSamples: raw.size,
    });
    expect(f.message).toContain('is inactive file cache');
    expect(f.message).toContain('of the 160 MiB limit');
  });

  it('stays quiet on the leak and the steady control, whose usage is their working set', async () => {
    const r = await analyzeFixture(FIXTURE);
    const keys = r.findings.filter((f) => f.pass === 'cache-inflated-usage').map((f) => f.entity.key);
    expect(keys).not.toContain('shop/checkout-7d9f/api');
    expect(keys).not.toContain('platform/config-server-0/server');
  });

  it('follows its thresholds', async () => {
    const r = await analyzeFixture(FIXTURE, {
      passOptions: { 'cache-inflated-usage': { minBytes: 512 * MiB } },
    });
    expect(r.findings.filter((f) => f.pass === 'cache-inflated-usage')).toEqual([]);
  });
});
