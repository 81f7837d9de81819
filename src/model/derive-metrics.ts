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
};

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
