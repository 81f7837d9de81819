import type { Dataset } from '../import/types.js';
import type { Columns, Derived } from './derive-cgroup.js';
import type { MetricName, Provenance } from './metrics.js';

/**
 * Metric-name datasets (Prometheus, Grafana, VictoriaMetrics exports) → canonical columns.
 * Importers have already normalised names (recording rules, kube-state-metrics v1 names, the
 * label that says what a sample measures: `kube_pod_container_resource_limits{resource="memory"}`);
 * this maps them to columns, in order of preference, and fills what is missing with marked
 * estimates.
 */
interface Source {
  field: string;
  column: MetricName;
  /** cAdvisor exports "no limit" as 0 (specMemoryValue). */
  zeroIsUnlimited?: boolean;
}

/** Every field the model reads, first preferred when two fill the same column. */
export const METRIC_SOURCES: readonly Source[] = [
  { field: 'container_memory_usage_bytes', column: 'usage' },
  { field: 'container_memory_working_set_bytes', column: 'workingSet' },
  { field: 'container_memory_rss', column: 'rss' },
  { field: 'container_memory_cache', column: 'cache' },
  { field: 'container_memory_mapped_file', column: 'mappedFile' },
  { field: 'container_memory_swap', column: 'swap' },
  { field: 'container_memory_failcnt', column: 'failcnt' },
  { field: 'container_memory_max_usage_bytes', column: 'maxUsage' },
  { field: 'container_memory_kernel_usage', column: 'kernel' },
  { field: 'container_memory_total_active_file_bytes', column: 'activeFile' },
  { field: 'container_memory_total_inactive_file_bytes', column: 'inactiveFile' },
  { field: 'container_memory_file_dirty_bytes', column: 'dirty' },
  { field: 'container_memory_file_writeback_bytes', column: 'writeback' },
  { field: 'container_memory_workingset_refault_file_total', column: 'refaultFile' },
  { field: 'container_memory_events_max_total', column: 'eventsMax' },
  { field: 'container_memory_events_high_total', column: 'eventsHigh' },
  {
    field: 'container_memory_failures_total{failure_type="pgmajfault",scope="container"}',
    column: 'pgmajfault',
  },
  { field: 'container_spec_memory_limit_bytes', column: 'limit', zeroIsUnlimited: true },
  { field: 'kube_pod_container_resource_limits{resource="memory"}', column: 'limit' },
  { field: 'kube_pod_container_resource_requests{resource="memory"}', column: 'request' },
  { field: 'kube_pod_container_status_restarts_total', column: 'restarts' },
  {
    field: 'kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}',
    column: 'lastTerminatedOom',
  },
  { field: 'container_oom_events_total', column: 'oomEvents' },
  { field: 'container_pressure_memory_waiting_seconds_total', column: 'psiSome' },
  { field: 'container_pressure_memory_stalled_seconds_total', column: 'psiFull' },
];

export const KNOWN_METRIC_FIELDS: ReadonlySet<string> = new Set(METRIC_SOURCES.map((s) => s.field));

export function deriveMetrics(ds: Dataset): Derived {
  const { table } = ds;
  const n = table.length;
  const columns: Columns = {};
  const provenance: Partial<Record<MetricName, Provenance>> = {};
  const index = new Map(table.fields.map((f, i) => [f, i]));
  const byColumn = new Map<MetricName, Source[]>();
  for (const src of METRIC_SOURCES) {
    if (!index.has(src.field)) continue;
    const list = byColumn.get(src.column) ?? [];
    list.push(src);
    byColumn.set(src.column, list);
  }
  for (const [column, sources] of byColumn) {
    provenance[column] = 'measured';
    if (sources.length === 1 && !sources[0].zeroIsUnlimited) {
      // The table's own column, read-only from here on (build copies it into the frame).
      columns[column] = table.columns[index.get(sources[0].field)!];
      continue;
    }
    const out = new Float64Array(n).fill(Number.NaN);
    for (const src of sources) {
      const values = table.columns[index.get(src.field)!];
      for (let r = 0; r < n; r++) {
        if (!Number.isNaN(out[r])) continue;
        const v = values[r];
        out[r] = src.zeroIsUnlimited && v === 0 ? Number.POSITIVE_INFINITY : v;
      }
    }
    columns[column] = out;
  }
  estimateBreakdown(n, columns, provenance);
  return { columns, provenance };
}

/**
 * From cAdvisor series alone (reference/metrics.md §6.2):
 * - inactive_file ≈ usage − working set (exact unless the working set was clamped at 0);
 * - active_file + shmem ≈ cache − (usage − working set): the file pages the working set counts;
 * - with active_file measured, shmem ≈ cache − active_file − inactive_file.
 * Estimates are clamped at 0: rounding and lossy inputs can make a difference slightly negative.
 */
function estimateBreakdown(
  n: number,
  columns: Columns,
  provenance: Partial<Record<MetricName, Provenance>>,
): void {
  const { usage, workingSet, cache } = columns;
  if (!columns.inactiveFile && usage && workingSet) {
    const est = new Float64Array(n);
    for (let r = 0; r < n; r++) est[r] = clamp(usage[r] - workingSet[r]);
    columns.inactiveFile = est;
    provenance.inactiveFile = 'estimated';
  }
  const inactive = columns.inactiveFile;
  if (cache && inactive && !columns.activeFileShmem) {
    const est = new Float64Array(n);
    for (let r = 0; r < n; r++) est[r] = clamp(cache[r] - inactive[r]);
    columns.activeFileShmem = est;
    provenance.activeFileShmem = 'estimated';
  }
  const active = columns.activeFile;
  if (cache && inactive && active && !columns.shmem) {
    const est = new Float64Array(n);
    for (let r = 0; r < n; r++) est[r] = clamp(cache[r] - active[r] - inactive[r]);
    columns.shmem = est;
    provenance.shmem = 'estimated';
  }
}

function clamp(v: number): number {
  // NaN stays NaN: unknown in, unknown out.
  return Math.max(v, 0);
}
