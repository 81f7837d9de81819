import type { Series } from '../../model/model.js';

/** Consecutive samples (indices into a series, inclusive) where a condition held. */
export interface Run {
  start: number;
  end: number;
  /** Samples in the run where the condition was known to hold. */
  samples: number;
}

/**
 * Runs of samples where `holds` is true. A sample where it is unknown (undefined: a value is
 * missing) neither breaks a run nor counts in it: a missing scrape is not evidence of recovery.
 */
export function runsWhere(s: Series, holds: (i: number) => boolean | undefined): Run[] {
  const runs: Run[] = [];
  let cur: Run | undefined;
  for (let i = 0; i < s.length; i++) {
    const h = holds(i);
    if (h === undefined) continue;
    if (h) {
      if (cur) {
        cur.end = i;
        cur.samples++;
      } else cur = { start: i, end: i, samples: 1 };
    } else if (cur) {
      runs.push(cur);
      cur = undefined;
    }
  }
  if (cur) runs.push(cur);
  return runs;
}

/** Time from the first to the last sample of a run, in ms. */
export function runDuration(s: Series, r: Run): number {
  return s.t[r.end] - s.t[r.start];
}

/** Increase of a cumulative counter over a run (NaN when unknown at both ends). */
export function counterRise(c: Float64Array | undefined, r: Run): number {
  if (!c) return Number.NaN;
  let a = Number.NaN;
  let b = Number.NaN;
  for (let i = r.start; i <= r.end; i++) {
    if (Number.isNaN(c[i])) continue;
    if (Number.isNaN(a)) a = c[i];
    b = c[i];
  }
  return b - a;
}
