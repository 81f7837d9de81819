import { describe, expect, it } from 'vitest';
import { analyzeFixture, keyValues, rawCapture } from '../helpers/fixtures.js';

const FIXTURE = 'v1-oom-killed-and-cache-inflated.tar.gz';
const READER_DIR =
  'kubepods/burstable/podfc5b963c-d36d-32ab-ff24-b3b6c4af39d9/a7e9b9313d19df5b8bdaa1c613add93554761143c4f7ee57b288acee8030d2b6';
const MiB = 1024 * 1024;

describe('cache-inflated-usage', () => {
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
