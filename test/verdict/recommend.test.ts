import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.js';
import { containersOf, seriesOf } from '../../src/model/model.js';
import { RECOMMEND_DEFAULTS, recommendLimit, roundUp } from '../../src/verdict/recommend.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { analyzeWith, loadFixture, MiB } from '../helpers/fixtures.js';

async function seriesFor(fixture: FixtureName, key: string) {
  const m = buildModel([await loadFixture(fixture)]);
  return seriesOf(m, containersOf(m).find((e) => e.key === key)!);
}

describe('roundUp', () => {
  it.each([
    [1, 4 * MiB],
    [100 * MiB, 112 * MiB],
    [112 * MiB, 112 * MiB],
    [129 * MiB, 160 * MiB],
    [300 * MiB, 320 * MiB],
    [1.3 * 1024 * MiB, 1.5 * 1024 * MiB],
  ])('%d → %d', (bytes, want) => {
    expect(roundUp(bytes)).toBe(want);
  });
});

describe('recommendLimit', () => {
  it('after an OOM kill: at least the limit + 20 %, rounded', async () => {
    const s = await seriesFor('oomAndCache', 'shop/checkout-7d9f/api');
    const r = recommendLimit(s, { oomKilled: true, thrashing: false })!;
    expect(r.change).toBe('raise');
    expect(r.limitBytes).toBe(roundUp(48 * MiB * RECOMMEND_DEFAULTS.oomBumpRatio));
    expect(r.limitBytes).toBe(64 * MiB);
  });

  it('sizes a tmpfs-heavy container on anon + shmem + kernel', async () => {
    const s = await seriesFor('tmpfsOom', 'media/transcoder-9f8e/transcoder');
    const r = recommendLimit(s, { oomKilled: true, thrashing: false })!;
    let peak = 0;
    for (let i = 0; i < s.length; i++)
      peak = Math.max(peak, s.col('rss')![i] + s.col('shmem')![i] + s.col('kernel')![i]);
    expect(r.limitBytes).toBe(roundUp(peak * 1.3));
    expect(r.basis).toContain('peak anon + shmem + kernel');
  });

  it('sets one where there is none', async () => {
    const r = recommendLimit(await seriesFor('leak', 'ops/log-agent-x7k2/agent'), {
      oomKilled: false,
      thrashing: false,
    })!;
    expect(r.change).toBe('set');
    expect(r.limitBytes).toBeGreaterThan(31 * MiB);
  });

  it('holds back lowering on seconds of data, and lowers on a day', async () => {
    const s = await seriesFor('healthy', 'platform/config-server-0/server');
    const short = recommendLimit(s, { oomKilled: false, thrashing: false })!;
    expect(short.change).toBe('hold');
    expect(short.limitBytes).toBeLessThan(64 * MiB);
    const lowered = recommendLimit(
      s,
      { oomKilled: false, thrashing: false },
      { ...RECOMMEND_DEFAULTS, minWindowHoursToLower: 0 },
    )!;
    expect(lowered.change).toBe('lower');
    expect(lowered.limitBytes).toBe(short.limitBytes);
  });

  it('never goes below the current limit when the cache thrashes', async () => {
    const s = await seriesFor('cachePinned', 'search/indexer-0/indexer');
    const r = recommendLimit(s, { oomKilled: false, thrashing: true })!;
    expect(r.limitBytes).toBe(64 * MiB);
    expect(r.change).toBe('keep');
  });

  it('gives findings.json the limit to keep when it holds back, and the narrative what the data says', async () => {
    const r = analyzeWith([await loadFixture('healthy')]);
    const [c] = r.containers;
    expect(c.recommendation?.change).toBe('hold');
    expect(c.recommendedLimitBytes).toBe(c.limitBytes);
    expect(c.narrative).toContain(`The data points to ${Math.round(c.recommendation!.limitBytes / MiB)} MiB`);
  });
});
