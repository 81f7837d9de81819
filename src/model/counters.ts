/**
 * Turns a raw counter (which restarts at 0 when a cgroup is recreated or an exporter restarts)
 * into a cumulative one over the window, in place, on [start, end). Unknown samples (NaN) stay
 * unknown and do not break the chain. The first known value is kept as it is: it counts what
 * happened before the window, which the caller can tell apart by comparing with later values.
 * Returns how many resets were bridged.
 */
export function bridgeResets(values: Float64Array, start: number, end: number): number {
  let prevRaw = Number.NaN;
  let offset = 0;
  let resets = 0;
  for (let i = start; i < end; i++) {
    const raw = values[i];
    if (Number.isNaN(raw)) continue;
    if (!Number.isNaN(prevRaw) && raw < prevRaw) {
      // A drop means the counter started again from zero: everything before is already counted.
      offset += prevRaw;
      resets++;
    }
    prevRaw = raw;
    values[i] = raw + offset;
  }
  return resets;
}
