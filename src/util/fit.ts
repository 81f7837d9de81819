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
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (xs[j] !== xs[i]) slopes[k++] = (ys[j] - ys[i]) / (xs[j] - xs[i]);
  const slope = median(slopes.subarray(0, k));
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
  const out = { x: [] as number[], y: [] as number[] };
  // The finite pairs are read in place (no copies: this runs on every container's whole series).
  const n = Math.min(x.length, y.length);
  const finite = (i: number) => Number.isFinite(x[i]) && Number.isFinite(y[i]);
  let firstAt = 0;
  while (firstAt < n && !finite(firstAt)) firstAt++;
  if (firstAt === n || buckets < 1) return out;
  let lastAt = n - 1;
  while (!finite(lastAt)) lastAt--;
  const x0 = x[firstAt];
  const span = x[lastAt] - x0 || 1;
  let b = -1;
  for (let i = firstAt; i <= lastAt; i++) {
    if (!finite(i)) continue;
    const k = Math.min(buckets - 1, Math.floor(((x[i] - x0) / span) * buckets));
    if (k !== b) {
      out.x.push(x[i]);
      out.y.push(y[i]);
      b = k;
    } else if (y[i] < out.y[out.y.length - 1]) {
      out.x[out.x.length - 1] = x[i];
      out.y[out.y.length - 1] = y[i];
    }
  }
  return out;
}

export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let nan = false;
  for (let i = 0; i < n && !nan; i++) nan = Number.isNaN(values[i]);
  const m = n >> 1;
  if (nan) {
    // The order a NaN gets is the comparator's, as it always was.
    const s = Array.from(values).sort((a, b) => a - b);
    return n % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  // Selection, not a sort: the passes take medians of every container's steps and slopes,
  // thousands of times on a big export. The values are the ones a sort would put in the middle.
  const a = new Float64Array(values);
  const hi = select(a, m);
  if (n % 2) return hi;
  let lo = a[0];
  for (let i = 1; i < m; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}

/**
 * Rearranges `a` so that a[k] is the value a sort would put there, everything before it ≤ and
 * everything after it ≥ (Hoare's selection, median-of-three pivots).
 */
function select(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    // Median of three as the pivot: sorted input (time steps) stays linear.
    if (a[mid] < a[left]) swap(a, mid, left);
    if (a[right] < a[left]) swap(a, right, left);
    if (a[right] < a[mid]) swap(a, right, mid);
    const pivot = a[mid];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function finitePairs(x: ArrayLike<number>, y: ArrayLike<number>): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
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
