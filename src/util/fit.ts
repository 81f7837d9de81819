/**
 * Robust straight-line fits for trends in memory series. Theil–Sen takes the median of all
 * pairwise slopes, so a GC drop or one bad sample moves it little (breakdown point 29 %), and
 * the goodness of fit says whether a line describes the points at all.
 */
export interface LineFit {
  /** Units of y per unit of x. */
  slope: number;
  intercept: number;
  /** 1 − SS_res / SS_tot around the robust line; ≤ 0 when a line explains nothing. */
  r2: number;
  n: number;
}

// Pairwise slopes grow with n²; above this many points the series is reduced to bucket medians.
const MAX_POINTS = 256;

/** Theil–Sen fit of y on x; NaN pairs are skipped. NaN slope when fewer than two points. */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  let [xs, ys] = finitePairs(x, y);
  if (xs.length > MAX_POINTS) [xs, ys] = bucketMedians(xs, ys, MAX_POINTS);
  const n = xs.length;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN, n };
  const slopes: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (xs[j] !== xs[i]) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
  const slope = median(slopes);
  const intercept = median(ys.map((v, i) => v - slope * xs[i]));
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  let ssTot = 0;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    ssTot += (ys[i] - mean) ** 2;
    ssRes += (ys[i] - (intercept + slope * xs[i])) ** 2;
  }
  // A perfectly flat series is perfectly described by a flat line.
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { slope, intercept, r2, n };
}

/**
 * The lower envelope of a series: the minimum of each of `buckets` equal time slices, with the
 * time it was seen. A garbage-collected heap leaks when what survives each collection grows, so
 * a trend in the minima is a leak and a trend in the raw samples may only be the next GC cycle.
 */
export function lowerEnvelope(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  buckets: number,
): { x: number[]; y: number[] } {
  const [xs, ys] = finitePairs(x, y);
  const out = { x: [] as number[], y: [] as number[] };
  if (xs.length === 0 || buckets < 1) return out;
  const x0 = xs[0];
  const span = xs[xs.length - 1] - x0 || 1;
  let b = -1;
  for (let i = 0; i < xs.length; i++) {
    const k = Math.min(buckets - 1, Math.floor(((xs[i] - x0) / span) * buckets));
    if (k !== b) {
      out.x.push(xs[i]);
      out.y.push(ys[i]);
      b = k;
    } else if (ys[i] < out.y[out.y.length - 1]) {
      out.x[out.x.length - 1] = xs[i];
      out.y[out.y.length - 1] = ys[i];
    }
  }
  return out;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function finitePairs(x: ArrayLike<number>, y: ArrayLike<number>): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  return [xs, ys];
}

/** x sorted ascending → `count` buckets of equal point count, each reduced to its medians. */
function bucketMedians(xs: number[], ys: number[], count: number): [number[], number[]] {
  const bx: number[] = [];
  const by: number[] = [];
  for (let b = 0; b < count; b++) {
    const lo = Math.floor((b * xs.length) / count);
    const hi = Math.floor(((b + 1) * xs.length) / count);
    if (hi <= lo) continue;
    bx.push(median(xs.slice(lo, hi)));
    by.push(median(ys.slice(lo, hi)));
  }
  return [bx, by];
}
