import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent } from '../../src/util/bytes.js';
import { loadFixture as loadExport } from '../helpers/exports.js';
import { analyzeWith, findingsOf, loadFixture } from '../helpers/fixtures.js';
import type { PassCase } from '../helpers/pass-case.js';
import { passFindings } from '../helpers/pass-case.js';

const PASS = 'usage-pinned-by-cache';
const SHIPPER = 'logs/log-shipper-6f7d/shipper';
const INDEXER = 'search/indexer-0/indexer';

interface Case extends PassCase {
  /** Expected code, or undefined for quiet; whether reclaim and refault rates are known. */
  code?: 'usage-pinned-by-cache/pinned' | 'usage-pinned-by-cache/thrashing';
  reclaimKnown?: boolean;
  refaultsKnown?: boolean;
}

const cases: Case[] = [
  {
    name: 'a log shipper recycling write-once cache: harmless',
    fixture: 'cachePinned',
    container: SHIPPER,
    code: 'usage-pinned-by-cache/pinned',
    reclaimKnown: true,
    refaultsKnown: true,
  },
  {
    name: 'an indexer re-reading a file bigger than its limit: thrashing',
    fixture: 'cachePinned',
    container: INDEXER,
    code: 'usage-pinned-by-cache/thrashing',
    reclaimKnown: true,
    refaultsKnown: true,
  },
  {
    name: 'cache below the limit is not pinned',
    fixture: 'oomAndCache',
    container: 'batch/report-writer-5c8b/reader',
  },
  {
    name: 'a working set at the limit is not cache',
    fixture: 'tmpfsOom',
    container: 'media/transcoder-9f8e/transcoder',
  },
  { name: 'steady control', fixture: 'healthy', container: 'platform/config-server-0/server' },
  { name: 'file read twice: active, not pinned', fixture: 'readTwice', container: 'search/query-7c5d/query' },
  {
    name: 'Prometheus with refaults (cAdvisor ≥ 0.60): thrashing',
    fixture: 'cachePinned',
    metrics: { refaults: true },
    container: INDEXER,
    code: 'usage-pinned-by-cache/thrashing',
    reclaimKnown: true,
    refaultsKnown: true,
  },
  {
    name: 'Prometheus without refaults: pinned, and says it cannot tell thrashing',
    fixture: 'cachePinned',
    metrics: {},
    container: INDEXER,
    code: 'usage-pinned-by-cache/pinned',
    reclaimKnown: true,
    refaultsKnown: false,
  },
  {
    name: 'Prometheus on cgroup v2 (failcnt always 0): reclaim unknown, still pinned',
    fixture: 'cachePinned',
    metrics: { failcntZero: true, refaults: true },
    container: SHIPPER,
    code: 'usage-pinned-by-cache/pinned',
    reclaimKnown: false,
    refaultsKnown: true,
  },
  {
    name: 'a thrash threshold no cache reaches makes the indexer harmless',
    fixture: 'cachePinned',
    set: { thrashShare: '1000' },
    container: INDEXER,
    code: 'usage-pinned-by-cache/pinned',
    reclaimKnown: true,
    refaultsKnown: true,
  },
  {
    name: 'a pinned share above what the shipper reaches keeps it quiet',
    fixture: 'cachePinned',
    set: { pinnedShare: '0.99' },
    container: SHIPPER,
  },
];

describe('usage-pinned-by-cache', () => {
  it.each(cases)('$name', async (c) => {
    const got = await passFindings(PASS, c);
    if (!c.code) {
      expect(got).toEqual([]);
      return;
    }
    expect(got.map((f) => f.code)).toEqual([c.code]);
    const [f] = got;
    expect(f.severity).toBe(c.code.endsWith('thrashing') ? 'warning' : 'info');
    expect(f.evidence.usageShare).toBeGreaterThanOrEqual(0.95);
    expect(f.evidence.workingSetShare).toBeLessThanOrEqual(0.75);
    expect(f.evidence.samples).toBeGreaterThanOrEqual(3);
    expect(f.to - f.from).toBe(f.evidence.durationMs);
    expect(f.evidence.reclaimPerSec !== undefined).toBe(c.reclaimKnown);
    if (c.reclaimKnown) expect(f.evidence.reclaimPerSec).toBeGreaterThan(1);
    expect(f.evidence.refaultsPerSec !== undefined).toBe(c.refaultsKnown);
    if (!c.refaultsKnown) expect(f.message).toContain('cannot be told apart from thrashing');
  });

  it('tells the two apart by orders of magnitude of refaults', async () => {
    const r = analyzeWith([await loadFixture('cachePinned')]);
    const [shipper] = findingsOf(r, PASS, SHIPPER);
    const [indexer] = findingsOf(r, PASS, INDEXER);
    expect(shipper.evidence.refaultShareOfCachePerMin).toBeLessThan(0.01);
    expect(indexer.evidence.refaultShareOfCachePerMin).toBeGreaterThan(10);
  });

  it('puts side by side only figures of one sample, which add up (three real scrapes)', async () => {
    const scrapes = ['scrape-1700000150.prom', 'scrape-1700000165.prom', 'scrape-1700000195.prom'];
    const r = analyzeWith(await Promise.all(scrapes.map((f) => loadExport(f))));
    const [f] = findingsOf(r, PASS, 'shop/report-5c8b/reader');
    const e = f.evidence;
    // The median sample by usage is the 165 s scrape: usage 1016 MiB, working set 303 MiB, by hand.
    expect(e.usageShare).toBeCloseTo(e.usageBytes / e.limitBytes, 12);
    expect(e.workingSetShare).toBeCloseTo(e.workingSetBytes / e.limitBytes, 12);
    expect(e.usageBytes).toBe(1_065_353_216);
    expect(e.workingSetBytes).toBe(317_718_528);
    expect(e.limitBytes).toBe(1_073_741_824);
    expect(e.at).toBe(1_700_000_165_217);
    expect(e.inactiveFileBytes).toBe(e.usageBytes - e.workingSetBytes);
    // The stretch's range holds the sample's share: 98.8 % (150 s) to 99.6 % (195 s).
    expect(e.usageShareMin).toBeCloseTo(1_061_158_912 / e.limitBytes, 12);
    expect(e.usageShareMax).toBeCloseTo(1_069_547_520 / e.limitBytes, 12);
    // The sentence: usage = working set + the rest, each figure the evidence's.
    const m = f.message.match(
      /usage was (\S+ \S+) \((\S+ %)\) and the working set (\S+ \S+) \((\S+ %)\): the other (\S+ \S+) is inactive file cache/,
    );
    expect(m).not.toBeNull();
    const [, usage, usagePct, ws, wsPct, rest] = m!;
    expect([usage, usagePct, ws, wsPct, rest]).toEqual([
      formatBytes(e.usageBytes),
      formatPercent(e.usageShare),
      formatBytes(e.workingSetBytes),
      formatPercent(e.workingSetShare),
      formatBytes(e.inactiveFileBytes),
    ]);
    expect([usage, ws, rest]).toEqual(['1016 MiB', '303 MiB', '713 MiB']);
    expect(f.message).toContain('Usage sat at 98.8 % to 99.6 % of the 1 GiB limit');
    // container_memory_cache (733 MiB) includes active file pages, which are in the working set:
    // named as all the file cache, never as the rest.
    expect(e.cacheBytes).toBe(768_606_208);
    expect(f.message).toContain('file cache in all 733 MiB');
  });
});
