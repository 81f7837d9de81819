import type { AnonGrowthEvidence } from '../messages.js';
import type { Series } from '../model/model.js';
import type { LineFit } from '../util/fit.js';
import { lowerEnvelope, theilSen } from '../util/fit.js';
import { lastKnown } from '../util/series.js';
import { nonReclaimable, partsAt } from './lib/parts.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

const HOUR = 3_600_000;

/**
 * Anonymous memory that grows steadily and is never given back: a leak. The fit is robust
 * (Theil–Sen) and runs on the lower envelope — what survives each garbage collection — so a GC
 * sawtooth and noise around a level stay quiet while a leak under a sawtooth does not.
 */
export default definePass({
  id: 'anon-growth',
  title: 'Steady anonymous memory growth',
  description:
    'Anonymous memory that only grows is the signature of a leak. It ends in an OOM kill at whatever limit is set; raising the limit only moves the kill later. ' +
    'Seeing the slope early, with the time it leaves before the limit, turns a page at 3 a.m. into a ticket.',
  checks:
    'Splits the anon (rss) series at OOM kills and restarts, and fits a robust line (Theil–Sen) to the minima of up to 24 time slices of the latest segment. ' +
    'Flags growth of at least minGrowthBytes and minGrowthShare, with R² ≥ minR2, still rising over the second half, over at least minSamples samples; ' +
    'warning when the projected time to the limit is within warnWithinHours (or there is no limit), info otherwise.',
  limitations: [
    'Growth that levels off later (a cache warming up slowly) looks like a leak while it lasts; the second-half check catches it only once it has slowed.',
    'Memory a runtime keeps but no longer uses (a heap that never shrinks) is not a leak but grows the same way until it stops.',
    'Only anon memory: a tmpfs that fills up is shmem-not-reclaimable’s case.',
  ],
  requires: ['rss'],
  options: {
    minSamples: {
      default: 8,
      reason:
        'Fewer points cannot tell a trend from one GC cycle; eight also gives the envelope four slices at least.',
    },
    minR2: {
      default: 0.8,
      reason:
        'A line must explain 80 % of the variance of the minima: a leak does (0.95+ on the leaks recorded here), a GC sawtooth and noise around a level explain close to nothing.',
    },
    minGrowthBytes: {
      default: 16 * 1024 * 1024,
      reason: 'Less than 16 MiB over the window is within a runtime’s normal drift (arenas, caches, JIT).',
    },
    minGrowthShare: {
      default: 0.1,
      reason: 'Growth must also be a tenth of where it started: 16 MiB means little on a 4 GiB heap.',
    },
    warnWithinHours: {
      default: 24,
      reason:
        'A leak that reaches the limit within a day will page someone before the next routine deploy restarts it.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const segments = segmentsOf(s);
      const fits = segments.map((seg) => fitSegment(s, seg, options));
      const last = fits.at(-1);
      if (!last?.growing) continue;
      const earlierGrowing = fits.slice(0, -1).filter((f) => f.growing).length;
      const { fit, start, end, envelope } = last;
      const slopePerHour = fit.slope * HOUR;
      const fromBytes = fit.intercept + fit.slope * s.t[start];
      const toBytes = fit.intercept + fit.slope * s.t[end];
      const limit = lastKnown(s.col('limit'));
      const unlimited = limit === Number.POSITIVE_INFINITY;
      let headroom: number | undefined;
      let timeToLimit: number | undefined;
      if (Number.isFinite(limit)) {
        // What reclaim cannot free now, against the limit: the cache will give way to the leak.
        const used = nonReclaimable(partsAt(s, end)) ?? lastKnown(s.col('rss'));
        headroom = Math.max(0, limit - used);
        timeToLimit = headroom / fit.slope;
      }
      const evidence: AnonGrowthEvidence = {
        slopeBytesPerHour: slopePerHour,
        r2: fit.r2,
        fromBytes,
        toBytes,
        durationMs: s.t[end] - s.t[start],
        samples: last.samples,
        from: s.t[start],
        limitBytes: Number.isFinite(limit) ? limit : undefined,
        headroomBytes: headroom,
        timeToLimitMs: timeToLimit,
        envelope: envelope ? 1 : undefined,
        unlimited: unlimited ? 1 : undefined,
        earlierGrowing: earlierGrowing || undefined,
      };
      const soon = unlimited || (timeToLimit !== undefined && timeToLimit <= options.warnWithinHours * HOUR);
      out.push({
        code: 'anon-growth/growing',
        severity: soon ? 'warning' : 'info',
        entity: s.entity,
        evidence,
        from: s.t[start],
        to: s.t[end],
      });
    }
    return out;
  },
});

/** [start, end] index ranges between OOM kills and restarts (a killed process starts from zero). */
function segmentsOf(s: Series): [number, number][] {
  const counters = [s.col('oomKills'), s.col('restarts'), s.col('oomEvents')].filter(
    (c): c is Float64Array => c !== undefined,
  );
  const cuts: number[] = [];
  for (const c of counters) {
    let prev = Number.NaN;
    for (let i = 0; i < s.length; i++) {
      if (Number.isNaN(c[i])) continue;
      if (!Number.isNaN(prev) && c[i] > prev) cuts.push(i);
      prev = c[i];
    }
  }
  const bounds = [...new Set(cuts)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  let start = 0;
  for (const b of bounds) {
    if (b > start) out.push([start, b - 1]);
    start = b;
  }
  if (s.length > start) out.push([start, s.length - 1]);
  return out;
}

interface SegmentFit {
  growing: boolean;
  fit: LineFit;
  start: number;
  end: number;
  samples: number;
  envelope: boolean;
}

function fitSegment(
  s: Series,
  [a, b]: [number, number],
  o: { minSamples: number; minR2: number; minGrowthBytes: number; minGrowthShare: number },
): SegmentFit {
  const rss = s.col('rss')!.subarray(a, b + 1);
  const t = s.t.subarray(a, b + 1);
  let n = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < rss.length; i++) {
    if (Number.isNaN(rss[i])) continue;
    n++;
    if (first < 0) first = i;
    last = i;
  }
  const none: SegmentFit = {
    growing: false,
    fit: { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN, n },
    start: a,
    end: b,
    samples: n,
    envelope: false,
  };
  if (n < o.minSamples) return none;
  const env = lowerEnvelope(t, rss, Math.min(24, Math.floor(n / 2)));
  const fit = theilSen(env.x, env.y);
  const start = a + first;
  const end = a + last;
  const growth = fit.slope * (s.t[end] - s.t[start]);
  const base = fit.intercept + fit.slope * s.t[start];
  // Still rising at the end: the second half's own slope keeps at least half the overall pace.
  const mid = env.x.length >> 1;
  const tail = theilSen(env.x.slice(mid), env.y.slice(mid));
  const growing =
    fit.slope > 0 &&
    fit.r2 >= o.minR2 &&
    growth >= o.minGrowthBytes &&
    growth >= o.minGrowthShare * Math.max(base, 1) &&
    !(tail.slope < fit.slope / 2);
  return { growing, fit, start, end, samples: n, envelope: env.x.length < n };
}
