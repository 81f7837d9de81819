import { LOOKBACK_MS } from './instances.js';
import type { MetricName } from './metrics.js';

/**
 * Columns that hold a state — a limit, a request, a kube-state-metrics restart count or reason —
 * which raw exports sample at other times than cAdvisor's gauges: VictoriaMetrics keeps each
 * scrape's own timestamps, cAdvisor stamps usage metrics with its stats time and spec metrics with
 * none (the scrape time), kube-state-metrics is another scrape altogether.
 */
const STATE: readonly MetricName[] = ['limit', 'request', 'restarts', 'lastTerminatedOom'];
/** Settings, which hold before they are first sampled too; restarts and reasons are events. */
const SETTINGS: readonly MetricName[] = ['limit', 'request'];

/**
 * Passes compare a working set with the limit in the same row. Where an entity has rows holding
 * only state values (sampled apart from its gauges), every gauge row takes the last state value
 * at or before it within the lookback, as PromQL evaluates `working_set / limit`; a gauge row with
 * no limit or request before it takes the next one within the lookback (a limit scraped a second
 * after the first working set is that container's limit; a restart or a termination reason is
 * never moved before it happened). State-only rows are then folded away — left in, they
 * halve the sampling interval and read as gaps — where a gauge row carries what they said: between
 * gauge rows when one follows within the lookback, before the first or after the last when the
 * nearest gauge row holds the same values. The rest stay: a termination reason after the
 * container's last sample is evidence. Data sampled together (captures, query_range answers) has
 * no state-only rows and is left as it is.
 * The aligner returns the entity's new end row; rows [end, to) are reset to unknown for the next
 * entity.
 */
export function stateAligner(
  columns: Partial<Record<MetricName, Float64Array>>,
): (t: Float64Array, from: number, to: number) => number {
  // Which column is which is the same for every entity: sorted once.
  const present = STATE.flatMap((n) => columns[n] ?? []);
  const settings = new Set(SETTINGS.flatMap((n) => columns[n] ?? []));
  const gauges = (Object.keys(columns) as MetricName[])
    .filter((n) => !STATE.includes(n))
    .map((n) => columns[n]!);
  if (present.length === 0) return (_t, _from, to) => to;
  const cols: Columns = { present, settings, gauges, all: Object.values(columns) as Float64Array[] };
  return (t, from, to) => alignEntity(cols, t, from, to);
}

interface Columns {
  present: Float64Array[];
  settings: Set<Float64Array>;
  gauges: Float64Array[];
  all: Float64Array[];
}

/** One entity's rows [from, to); returns its new end row. */
function alignEntity(
  { present, settings, gauges, all }: Columns,
  t: Float64Array,
  from: number,
  to: number,
): number {
  // 1 = a gauge row, 2 = a row with state values only, 0 = nothing known.
  const kind = new Uint8Array(to - from);
  let first = -1;
  let last = -1;
  let stateOnly = false;
  for (let i = from; i < to; i++) {
    if (gauges.some((c) => !Number.isNaN(c[i]))) {
      kind[i - from] = 1;
      if (first < 0) first = i;
      last = i;
    } else if (present.some((c) => !Number.isNaN(c[i]))) {
      kind[i - from] = 2;
      stateOnly = true;
    }
  }
  if (first < 0 || !stateOnly) return to;
  // Only columns sampled apart: most of their samples on rows of their own. A few gauge gaps in
  // data sampled together (a NaN in the export) leave state-only rows too, and stay as they are.
  const state = present.filter((c) => {
    let apart = 0;
    let together = 0;
    for (let i = from; i < to; i++)
      if (!Number.isNaN(c[i])) {
        if (kind[i - from] === 2) apart++;
        else together++;
      }
    return apart > together;
  });
  if (state.length === 0) return to;
  const others = present.filter((c) => !state.includes(c));
  const nextOf = new Float64Array(to - from);
  for (const c of state) {
    // The time of the next known value at or after each row, to fill rows nothing came before.
    let next = Number.NaN;
    for (let i = to - 1; i >= from; i--) {
      if (!Number.isNaN(c[i])) next = i;
      nextOf[i - from] = next;
    }
    let value = Number.NaN;
    let at = Number.NEGATIVE_INFINITY;
    for (let i = from; i < to; i++) {
      if (!Number.isNaN(c[i])) {
        value = c[i];
        at = t[i];
        continue;
      }
      if (kind[i - from] !== 1) continue;
      if (t[i] - at <= LOOKBACK_MS) c[i] = value;
      else if (settings.has(c)) {
        const n = nextOf[i - from];
        if (!Number.isNaN(n) && t[n] - t[i] <= LOOKBACK_MS) c[i] = c[n];
      }
    }
  }
  let nextGauge = Number.POSITIVE_INFINITY;
  const nextGaugeAt = new Float64Array(to - from);
  for (let i = to - 1; i >= from; i--) {
    nextGaugeAt[i - from] = nextGauge;
    if (kind[i - from] === 1) nextGauge = t[i];
  }
  // A state-only row is folded when a gauge row now carries what it said.
  const carried = (i: number, g: number) => state.every((c) => Number.isNaN(c[i]) || c[i] === c[g]);
  const fold = (i: number) =>
    kind[i - from] === 2 &&
    others.every((c) => Number.isNaN(c[i])) &&
    (i < first
      ? t[first] - t[i] <= LOOKBACK_MS && carried(i, first)
      : i > last
        ? carried(i, last)
        : nextGaugeAt[i - from] - t[i] <= LOOKBACK_MS);
  let w = from;
  for (let i = from; i < to; i++) {
    if (fold(i)) continue;
    if (w !== i) {
      t[w] = t[i];
      for (const c of all) c[w] = c[i];
    }
    w++;
  }
  for (const c of all) c.fill(Number.NaN, w, to);
  return w;
}
