import type { Series } from '../model/model.js';
import { median } from '../util/fit.js';
import { finiteLimit } from '../util/series.js';
import type { Run } from './lib/runs.js';
import { counterRise, runDuration, runsWhere } from './lib/runs.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

// Refault counters count pages; 4 KiB is the base page on x86-64 and most arm64 kernels.
const PAGE_BYTES = 4096;

/**
 * Usage held at the limit by file cache while the working set stays far below, reclaim running
 * all the time and no OOM kill: the cache fills whatever room it has. Refaults say whether that
 * is harmless (data read once, recycled) or thrashing (the same files read back from disk).
 */
export default definePass({
  id: 'usage-pinned-by-cache',
  title: 'Usage pinned at the limit by file cache',
  description:
    'A container whose usage sits at its limit looks about to be OOM-killed, yet when the working set is far below and reclaim keeps up, the page cache is only filling the room it has. ' +
    'Whether that costs anything depends on refaults: cache that is read once is recycled for free, cache read again and again turns memory pressure into disk reads.',
  checks:
    'Flags a stretch of at least minSamples samples where usage is at least pinnedShare of the limit, the working set at most maxWorkingSetShare of it, the limit-hit counter (v1 failcnt, v2 memory.events max) rises or is not kept, and no OOM kill happens. ' +
    'Harmless (info) when file refaults stay low; thrashing (warning) when the refaulted bytes per minute reach thrashShare of the cache.',
  limitations: [
    'Without file refaults (v1 kernels before 5.9, cAdvisor before 0.60) it cannot tell harmless from thrashing, and says so.',
    'On cgroup v2, cAdvisor exports failcnt as 0; from Prometheus data reclaim activity is then unknown unless container_memory_events_max_total (cAdvisor ≥ 0.57) is exported.',
    'Refault counts are converted to bytes with 4 KiB pages.',
  ],
  requires: ['usage', 'workingSet', 'limit'],
  options: {
    pinnedShare: {
      default: 0.95,
      reason:
        'The kernel starts reclaiming at the limit and cache fills to within a few pages of it: 95 % is "at the limit" with room for the sampling of usage_in_bytes.',
    },
    maxWorkingSetShare: {
      default: 0.75,
      reason:
        'At most three quarters: a quarter of the limit or more is inactive cache the kernel can drop at once. Above that, working-set-near-limit is the question.',
    },
    minSamples: {
      default: 3,
      reason:
        'Three samples in a row: with 10 s captures, half a minute at the limit. One sample is a moment.',
    },
    thrashShare: {
      default: 0.1,
      reason:
        'When a tenth of the cache is read back from disk every minute, the cache is smaller than what the container keeps re-reading: each refault is a disk read it waits on.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const usage = s.col('usage')!;
      const ws = s.col('workingSet')!;
      const limit = s.col('limit')!;
      const kills = s.col('oomKills');
      const { counter, column: reclaim } = reclaimCounter(s);
      const runs = runsWhere(s, (i) => {
        const l = finiteLimit(limit[i]);
        if (l === undefined || Number.isNaN(usage[i]) || Number.isNaN(ws[i])) return undefined;
        return usage[i] >= options.pinnedShare * l && ws[i] <= options.maxWorkingSetShare * l;
      }).filter((r) => r.samples >= options.minSamples && !(counterRise(kills, r) > 0));
      // Known reclaim that did not rise: usage only sits there, nothing pushes (cache-inflated-usage covers it).
      const active = runs.filter((r) => !(counterRise(reclaim, r) === 0));
      if (active.length === 0) continue;
      const longest = active.reduce((a, r) => (runDuration(s, r) > runDuration(s, a) ? r : a));
      const ev = evidence(s, longest, reclaim, counter);
      let total = 0;
      for (let i = 0; i < s.length; i++) if (!Number.isNaN(usage[i])) total++;
      const thrashing =
        ev.refaultShareOfCachePerMin !== undefined && ev.refaultShareOfCachePerMin >= options.thrashShare;
      out.push({
        code: thrashing ? 'usage-pinned-by-cache/thrashing' : 'usage-pinned-by-cache/pinned',
        severity: thrashing ? 'warning' : 'info',
        entity: s.entity,
        evidence: { ...ev, totalSamples: total },
        from: s.t[longest.start],
        to: s.t[longest.end],
      });
    }
    return out;
  },
});

/**
 * The limit-hit counter: v1 failcnt, v2 memory.events max. A failcnt that is 0 in every sample of
 * metrics data is cAdvisor's v2 placeholder, not "never hit": treat it as not kept.
 */
function reclaimCounter(s: Series): { counter?: string; column?: Float64Array } {
  if (s.has('eventsMax')) return { counter: 'memory.events max', column: s.col('eventsMax') };
  const f = s.col('failcnt');
  if (!f || !s.has('failcnt')) return {};
  if (s.entity.cgroupVersion === undefined && f.every((v) => v === 0 || Number.isNaN(v))) return {};
  return { counter: 'failcnt', column: f };
}

/**
 * The evidence of a stretch. The figures the message puts side by side (usage, working set, the
 * inactive file cache between them, the limit) all come from one sample, the median by usage
 * share, so usage = working set + inactive file cache and each share is its bytes over that
 * sample's limit. Stretch-wide figures say so in their names (usageShareMin/Max, cacheMedianBytes).
 */
function evidence(s: Series, r: Run, reclaim: Float64Array | undefined, counter: string | undefined) {
  const usage = s.col('usage')!;
  const ws = s.col('workingSet')!;
  const limit = s.col('limit')!;
  const cache = s.col('cache');
  // The samples where the run's condition is known to hold (r.samples of them): a gap inside a
  // run has a value missing and says nothing.
  const known: { i: number; share: number }[] = [];
  const caches: number[] = [];
  for (let i = r.start; i <= r.end; i++) {
    if (Number.isNaN(usage[i])) continue;
    if (cache && !Number.isNaN(cache[i])) caches.push(cache[i]);
    const l = finiteLimit(limit[i]);
    if (l !== undefined && !Number.isNaN(ws[i])) known.push({ i, share: usage[i] / l });
  }
  const byShare = [...known].sort((a, b) => a.share - b.share || a.i - b.i);
  const at = byShare[byShare.length >> 1].i;
  const lim = limit[at];
  const seconds = (s.t[r.end] - s.t[r.start]) / 1000;
  const perSec = (c: Float64Array | undefined) => {
    const rise = counterRise(c, r);
    return seconds > 0 && Number.isFinite(rise) ? rise / seconds : undefined;
  };
  const refaultsPerSec = perSec(s.col('refaultFile'));
  // The refault rate is over the whole stretch, so it is set against the stretch's median cache.
  const cacheMedianBytes = caches.length ? median(caches) : undefined;
  return {
    from: s.t[r.start],
    durationMs: s.t[r.end] - s.t[r.start],
    samples: r.samples,
    usageShareMin: byShare[0].share,
    usageShareMax: byShare[byShare.length - 1].share,
    at: s.t[at],
    usageBytes: usage[at],
    usageShare: usage[at] / lim,
    workingSetBytes: ws[at],
    workingSetShare: ws[at] / lim,
    limitBytes: lim,
    inactiveFileBytes: usage[at] - ws[at],
    cacheBytes: cache && !Number.isNaN(cache[at]) ? cache[at] : undefined,
    cacheMedianBytes,
    reclaimPerSec: perSec(reclaim),
    reclaimCounter: counter,
    refaultsPerSec,
    refaultShareOfCachePerMin:
      refaultsPerSec !== undefined && cacheMedianBytes
        ? (refaultsPerSec * PAGE_BYTES * 60) / cacheMedianBytes
        : undefined,
  };
}
