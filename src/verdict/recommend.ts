import { RECOMMEND_BASIS } from '../messages.js';
import type { Series } from '../model/model.js';
import { nonReclaimableReader } from '../passes/lib/parts.js';
import type { OptionDefs } from '../passes/types.js';
import { defaultsOf } from '../passes/types.js';
import { lastKnown } from '../util/series.js';

/**
 * The recommended memory limit of a container (docs/recommended-limit.md):
 *
 *   max( peak(anon + shmem + kernel) × (1 + nonReclaimableHeadroom),
 *        peak(working set)           × (1 + workingSetHeadroom),
 *        current limit × oomBumpRatio          — only when it was OOM-killed )
 *
 * rounded up to a quarter of the power of two below it (…, 96, 112, 128, 160, 192 MiB, …).
 * The non-reclaimable peak is what must fit; the working-set peak is what the kubelet and
 * `kubectl top` compare with the limit; a kill means the real need was not seen.
 */
/** The rule in words, as `memlens explain recommended-limit` and the docs state it. */
export const RECOMMEND_RULE =
  'The recommended limit is the largest of: the peak of anon + shmem + kernel memory (what reclaim cannot free) plus nonReclaimableHeadroom; ' +
  'the peak working set (what the kubelet and `kubectl top` compare with the limit) plus workingSetHeadroom; ' +
  'after an OOM kill, the current limit × oomBumpRatio (the real peak was cut off); when the file cache thrashes, the current limit. ' +
  'It is rounded up to a quarter of the power of two below it (…, 96, 112, 128, 160, 192 MiB, …). ' +
  'A recommendation below the current limit by more than keepWithin is only made on at least minWindowHoursToLower of data; on less, the current limit is kept.';

/** The id its options go by in `--set`, `--config` and `memlens explain`. */
export const RECOMMEND_ID = 'recommended-limit';

export interface RecommendOptions {
  nonReclaimableHeadroom: number;
  workingSetHeadroom: number;
  oomBumpRatio: number;
  keepWithin: number;
  minWindowHoursToLower: number;
}

export const RECOMMEND_OPTIONS: OptionDefs<RecommendOptions> = {
  nonReclaimableHeadroom: {
    default: 0.3,
    reason:
      'Anon, shmem and kernel memory cannot be reclaimed: 30 % above their peak absorbs the bursts a sampled series misses and the next release’s growth.',
  },
  workingSetHeadroom: {
    default: 0.15,
    reason: 'The safety margin VPA and Robusta KRR add to the working-set peak (+15 %).',
  },
  oomBumpRatio: {
    default: 1.2,
    reason:
      'VPA’s bump after an OOM kill (+20 %): the peak before a kill is cut off by the limit, so the need is above it.',
  },
  keepWithin: {
    default: 0.25,
    reason: 'A limit within 25 % above the recommendation is fine as it is: changing it buys nothing.',
  },
  minWindowHoursToLower: {
    default: 24,
    reason: 'Lowering a limit on less than a day of data misses the daily peak (batch jobs, traffic peaks).',
  },
};

export const RECOMMEND_DEFAULTS: RecommendOptions = defaultsOf(RECOMMEND_OPTIONS);

/** hold: the data points lower, but the window is too short to lower on. */
export type LimitChange = 'raise' | 'lower' | 'keep' | 'set' | 'hold';

export interface Recommendation {
  limitBytes: number;
  change: LimitChange;
  /** How it was reached, in words, for the narrative. */
  basis: string;
}

/** What the container's findings say that the series alone do not. */
export interface RecommendContext {
  /** OOM-killed: the peak before the kill was cut off by the limit. */
  oomKilled: boolean;
  /** Its file cache thrashes: the cache needs at least the room it has. */
  thrashing: boolean;
}

/** The recommendation, or undefined when the series has neither anon nor a working set. */
export function recommendLimit(
  s: Series,
  ctx: RecommendContext,
  o: RecommendOptions = RECOMMEND_DEFAULTS,
): Recommendation | undefined {
  let nr = Number.NaN;
  const nonReclaimableAt = nonReclaimableReader(s);
  for (let i = 0; i < s.length; i++) {
    const v = nonReclaimableAt(i);
    if (v !== undefined && !(v <= nr)) nr = v;
  }
  let ws = Number.NaN;
  const wsCol = s.col('workingSet');
  if (wsCol)
    for (let i = 0; i < s.length; i++) if (!Number.isNaN(wsCol[i]) && !(wsCol[i] <= ws)) ws = wsCol[i];
  const limit = lastKnown(s.col('limit'));
  const candidates: { bytes: number; basis: string }[] = [];
  if (Number.isFinite(nr))
    candidates.push({
      bytes: nr * (1 + o.nonReclaimableHeadroom),
      basis: RECOMMEND_BASIS.nonReclaimable({ bytes: nr, headroom: o.nonReclaimableHeadroom }),
    });
  if (Number.isFinite(ws))
    candidates.push({
      bytes: ws * (1 + o.workingSetHeadroom),
      basis: RECOMMEND_BASIS.workingSet({ bytes: ws, headroom: o.workingSetHeadroom }),
    });
  if (ctx.oomKilled && Number.isFinite(limit))
    candidates.push({
      bytes: limit * o.oomBumpRatio,
      basis: RECOMMEND_BASIS.oomBump({ limitBytes: limit, ratio: o.oomBumpRatio }),
    });
  if (ctx.thrashing && Number.isFinite(limit))
    candidates.push({ bytes: limit, basis: RECOMMEND_BASIS.thrashing({ limitBytes: limit }) });
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((a, c) => (c.bytes > a.bytes ? c : a));
  // The current limit is already a sane number: keep it exactly when it is what the rule picked.
  const bytes = best.bytes === limit ? limit : roundUp(best.bytes);
  const spanHours = s.length ? (s.t[s.length - 1] - s.t[0]) / 3_600_000 : 0;
  let change: LimitChange;
  if (!Number.isFinite(limit)) change = 'set';
  else if (bytes > limit) change = 'raise';
  else if (bytes < limit / (1 + o.keepWithin))
    change = spanHours >= o.minWindowHoursToLower ? 'lower' : 'hold';
  else change = 'keep';
  return { limitBytes: bytes, change, basis: best.basis };
}

const MIN_STEP = 4 * 1024 * 1024;

/** Up to a quarter of the power of two below: 100 MiB → 112 MiB, 1.3 GiB → 1.5 GiB. */
export function roundUp(bytes: number): number {
  if (!(bytes > 0)) return MIN_STEP;
  const step = Math.max(MIN_STEP, 2 ** Math.floor(Math.log2(bytes)) / 4);
  return Math.ceil(bytes / step) * step;
}
