import type { MetricName } from './metrics.js';
import type { Entity } from './model.js';

type Columns = Partial<Record<MetricName, Float64Array>>;

/**
 * OOM kills for containers no cgroup counter speaks for (Prometheus data only). The order of
 * trust (reference/metrics.md §6.4): cgroup counters, then kube-state-metrics, then cAdvisor's
 * container_oom_events_total, which misses the kills that matter most (google/cadvisor#3015).
 *
 * - kube-state-metrics: each increase of the restart count after which the last termination
 *   reason reads OOMKilled is one kill (a lower bound when several restarts fall between two
 *   samples); a container whose last termination was already OOMKilled in the first sample was
 *   killed once before the window.
 * - container_oom_events_total: cumulative, resets bridged.
 * The estimate is the larger of the two at each row, so a kill either source saw is counted.
 * Columns are filled in place (rows where any source is known) and marked 'estimated'.
 */
export function estimateOomKills(entities: Entity[], columns: Columns, total: number): void {
  const { restarts, lastTerminatedOom: last, oomEvents: events } = columns;
  if (!events && !(restarts && last)) return;
  for (const e of entities) {
    if (e.role !== 'container' || e.provenance.oomKills !== undefined) continue;
    const hasKsm =
      restarts && last && e.provenance.restarts !== undefined && e.provenance.lastTerminatedOom !== undefined;
    const hasEvents = events && e.provenance.oomEvents !== undefined;
    if (!hasKsm && !hasEvents) continue;
    columns.oomKills ??= new Float64Array(total).fill(Number.NaN);
    const out = columns.oomKills;
    let ksm = Number.NaN;
    let prevRestarts = Number.NaN;
    let pending = false;
    let ev = Number.NaN;
    let any = false;
    for (let i = e.rowStart; i < e.rowEnd; i++) {
      if (hasKsm) {
        const r = restarts![i];
        const l = last![i];
        if (!Number.isNaN(r)) {
          if (Number.isNaN(prevRestarts)) ksm = l === 1 && r > 0 ? 1 : 0;
          else if (r > prevRestarts) pending = true;
          prevRestarts = r;
        }
        if (pending && !Number.isNaN(l)) {
          if (l === 1) ksm++;
          pending = false;
        }
      }
      if (hasEvents && !Number.isNaN(events![i])) ev = events![i];
      const v = Number.isNaN(ksm) ? ev : Number.isNaN(ev) ? ksm : Math.max(ksm, ev);
      if (!Number.isNaN(v)) {
        out[i] = v;
        any = true;
      }
    }
    if (any) e.provenance.oomKills = 'estimated';
  }
}
