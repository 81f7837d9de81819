/** Largest known value of a column (NaN when none is known). */
export function maxKnown(c: Float64Array | undefined): number {
  let m = Number.NaN;
  if (!c) return m;
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (!Number.isNaN(v) && !(v <= m)) m = v;
  }
  return m;
}

/** Last known value of a column (NaN when none is known). */
export function lastKnown(c: Float64Array | undefined): number {
  if (!c) return Number.NaN;
  for (let i = c.length - 1; i >= 0; i--) if (!Number.isNaN(c[i])) return c[i];
  return Number.NaN;
}

/** Index of the last known value at or before `i` (-1 when none). */
export function lastKnownAt(c: Float64Array, i: number): number {
  for (let j = i; j >= 0; j--) if (!Number.isNaN(c[j])) return j;
  return -1;
}

/** The value, or undefined for unknown (NaN): for optional evidence fields. */
export function known(v: number | undefined): number | undefined {
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/** A finite limit, or undefined for unknown and unlimited. */
export function finiteLimit(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}
