import type { Dataset } from '../import/types.js';
import type { Columns, Derived } from './derive-cgroup.js';
import type { MetricName, Provenance } from './metrics.js';

/**
 * Metric-name datasets (Prometheus, Grafana, VictoriaMetrics exports) → canonical columns.
 * Importers have already normalised metric names to cAdvisor's; this maps them one to one and
 * fills what is missing with marked estimates.
 */
const DIRECT: Record<string, MetricName> = {
  container_memory_usage_bytes: 'usage',
  container_memory_working_set_bytes: 'workingSet',
  container_memory_rss: 'rss',
  container_memory_cache: 'cache',
  container_memory_mapped_file: 'mappedFile',
  container_memory_swap: 'swap',
  container_memory_failcnt: 'failcnt',
  container_memory_max_usage_bytes: 'maxUsage',
  container_memory_kernel_usage: 'kernel',
  container_memory_total_active_file_bytes: 'activeFile',
  container_memory_total_inactive_file_bytes: 'inactiveFile',
  container_memory_file_dirty_bytes: 'dirty',
  container_memory_file_writeback_bytes: 'writeback',
  container_memory_workingset_refault_file_total: 'refaultFile',
  container_memory_events_max_total: 'eventsMax',
  container_memory_events_high_total: 'eventsHigh',
  container_spec_memory_limit_bytes: 'limit',
  container_pressure_memory_waiting_seconds_total: 'psiSome',
  container_pressure_memory_stalled_seconds_total: 'psiFull',
  container_oom_events_total: 'oomEvents',
  kube_pod_container_status_restarts_total: 'restarts',
};

/**
 * kube-state-metrics series that only mean something with one of their labels: one series per
 * termination reason, one per resource. The importer keeps labels on the series (hints[s].labels).
 */
const LAST_REASON = 'kube_pod_container_status_last_terminated_reason';
const KSM_LIMITS = 'kube_pod_container_resource_limits';

export function deriveMetrics(ds: Dataset): Derived {
  const { table } = ds;
  const n = table.length;
  const columns: Columns = {};
  const provenance: Partial<Record<MetricName, Provenance>> = {};
  table.fields.forEach((field, i) => {
    const name = DIRECT[field];
    if (!name) return;
    columns[name] = Float64Array.from(table.columns[i]);
    provenance[name] = 'measured';
  });
  labelled(ds, columns, provenance);
  // cAdvisor exports "no limit" as 0.
  const limit = columns.limit;
  if (limit) for (let r = 0; r < n; r++) if (limit[r] === 0) limit[r] = Number.POSITIVE_INFINITY;
  // inactive_file ≈ usage − working set (exact unless the working set was clamped at 0).
  const { usage, workingSet } = columns;
  if (!columns.inactiveFile && usage && workingSet) {
    const est = new Float64Array(n);
    for (let r = 0; r < n; r++) est[r] = usage[r] - workingSet[r];
    columns.inactiveFile = est;
    provenance.inactiveFile = 'estimated';
  }
  // active_file + shmem ≈ cache − (usage − working set). cAdvisor exports no shmem, so the estimate
  // holds both; clamped at 0 because v1 usage is a fuzzy value and can lag the cache.
  const { cache } = columns;
  if (!columns.activeFile && cache && usage && workingSet) {
    const est = new Float64Array(n);
    for (let r = 0; r < n; r++) est[r] = Math.max(0, cache[r] - (usage[r] - workingSet[r]));
    columns.activeFile = est;
    provenance.activeFile = 'estimated';
  }
  return { columns, provenance };
}

/**
 * The label-qualified kube-state-metrics series: `last_terminated_reason` becomes 1 (OOMKilled) or
 * 0 (another reason) per row; `resource_limits{resource="memory"}` fills the limit where cAdvisor's
 * container_spec_memory_limit_bytes is absent (kube-state-metrics has no series at all for a
 * container without a limit, so it never says "unlimited").
 */
function labelled(ds: Dataset, columns: Columns, provenance: Partial<Record<MetricName, Provenance>>): void {
  const { table, hints } = ds;
  const reason = table.fields.indexOf(LAST_REASON);
  const limits = table.fields.indexOf(KSM_LIMITS);
  if (reason < 0 && limits < 0) return;
  const n = table.length;
  let oom: Float64Array | undefined;
  let limit: Float64Array | undefined;
  for (let s = 0; s < table.series.length; s++) {
    const labels = hints[s]?.labels ?? {};
    for (let r = table.rowStart[s]; r < table.rowStart[s + 1]; r++) {
      if (reason >= 0) {
        const v = table.columns[reason][r];
        // A reason series at 1 says what the last termination was; at 0 it says nothing.
        if (v === 1) {
          oom ??= new Float64Array(n).fill(Number.NaN);
          oom[r] = labels.reason === 'OOMKilled' ? 1 : 0;
        }
      }
      if (limits >= 0 && labels.resource === 'memory') {
        const v = table.columns[limits][r];
        if (!Number.isNaN(v)) {
          limit ??= new Float64Array(n).fill(Number.NaN);
          limit[r] = v;
        }
      }
    }
  }
  if (oom) {
    columns.lastTerminatedOom = oom;
    provenance.lastTerminatedOom = 'measured';
  }
  if (limit) {
    const spec = columns.limit;
    if (!spec) {
      columns.limit = limit;
      provenance.limit = 'measured';
    } else for (let r = 0; r < n; r++) if (Number.isNaN(spec[r])) spec[r] = limit[r];
  }
}
