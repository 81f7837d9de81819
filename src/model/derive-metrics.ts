import type { Dataset } from '../import/types.js';
import type { Columns, Derived } from './derive-cgroup.js';
import { UNLIMITED_THRESHOLD } from './derive-cgroup.js';
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

/** Fields the model reads (for `inspect`'s list of unknown metrics). */
export const KNOWN_METRIC_FIELDS: ReadonlySet<string> = new Set([
  ...METRIC_SOURCES.map((s) => s.field),
  'kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}',
]);

/** True when deriveMetrics reads the field (every last-terminated reason counts). */
export function readsField(field: string): boolean {
  return KNOWN_METRIC_FIELDS.has(field) || REASON_FIELD.test(field);
}

export function deriveMetrics(ds: Dataset): Derived {
  const { table } = ds;
  const n = table.length;
  const columns: Columns = {};
  const provenance: Partial<Record<MetricName, Provenance>> = {};
  const index = new Map(table.fields.map((f, i) => [f, i]));
  const byColumn = new Map<MetricName, Float64Array[]>();
  const use = (column: MetricName, values: Float64Array) => {
    const list = byColumn.get(column) ?? [];
    list.push(values);
    byColumn.set(column, list);
  };
  for (const src of METRIC_SOURCES) {
    const i = index.get(src.field);
    if (i === undefined) continue;
    const values = table.columns[i];
    use(
      src.column,
      src.zeroIsUnlimited
        ? // 0 from cAdvisor; a v1 "unlimited" of 2^63 − 4096 from anything else (Grafana's "8 EiB").
          values.map((v) => (v === 0 || v >= UNLIMITED_THRESHOLD ? Number.POSITIVE_INFINITY : v))
        : values,
    );
  }
  for (const [column, values] of labelledSeries(ds, index)) use(column, values);
  for (const [column, sources] of byColumn) {
    provenance[column] = 'measured';
    if (sources.length === 1) {
      // The table's own column, read-only from here on (build copies it into the frame).
      columns[column] = sources[0];
      continue;
    }
    const out = new Float64Array(n).fill(Number.NaN);
    for (const values of sources) for (let r = 0; r < n; r++) if (Number.isNaN(out[r])) out[r] = values[r];
    columns[column] = out;
  }
  estimateBreakdown(n, columns, provenance);
  return { columns, provenance };
}

const REASON = 'kube_pod_container_status_last_terminated_reason';
const REASON_FIELD = /^kube_pod_container_status_last_terminated_reason\{reason="(.*)"\}$/;
const RESOURCE = {
  kube_pod_container_resource_limits: 'limit',
  kube_pod_container_resource_requests: 'request',
} as const;

/**
 * kube-state-metrics series that only mean something with one of their labels, in either shape an
 * importer gives them: the label in the field name (`…{reason="OOMKilled"}`, memlens' own
 * importers) or the bare name with the label kept on the series (`hints[s].labels.reason`).
 * - last_terminated_reason: 1 while the OOMKilled series is 1, 0 while another reason's is;
 * - resource_limits / resource_requests: only `resource="memory"` (the `{resource="memory"}`
 *   fields are already in METRIC_SOURCES).
 */
function labelledSeries(ds: Dataset, index: Map<string, number>): [MetricName, Float64Array][] {
  const { table, hints } = ds;
  const n = table.length;
  const out: [MetricName, Float64Array][] = [];
  let oom: Float64Array | undefined;
  const reasonOf = (field: string, s: number): string | undefined =>
    field === REASON ? hints[s]?.labels?.reason : REASON_FIELD.exec(field)?.[1];
  table.fields.forEach((field, f) => {
    if (field !== REASON && !REASON_FIELD.test(field)) return;
    const col = table.columns[f];
    for (let s = 0; s < table.series.length; s++) {
      const reason = reasonOf(field, s);
      if (reason === undefined) continue;
      for (let r = table.rowStart[s]; r < table.rowStart[s + 1]; r++) {
        // A reason series at 1 says what the last termination was; at 0 it says nothing.
        if (col[r] !== 1) continue;
        oom ??= new Float64Array(n).fill(Number.NaN);
        if (reason === 'OOMKilled' || Number.isNaN(oom[r])) oom[r] = reason === 'OOMKilled' ? 1 : 0;
      }
    }
  });
  if (oom) out.push(['lastTerminatedOom', oom]);
  for (const [name, column] of Object.entries(RESOURCE) as [keyof typeof RESOURCE, MetricName][]) {
    const f = index.get(name);
    if (f === undefined) continue;
    const values = new Float64Array(n).fill(Number.NaN);
    let any = false;
    for (let s = 0; s < table.series.length; s++) {
      if (hints[s]?.labels?.resource !== 'memory') continue;
      for (let r = table.rowStart[s]; r < table.rowStart[s + 1]; r++) {
        values[r] = table.columns[f][r];
        any ||= !Number.isNaN(values[r]);
      }
    }
    if (any) out.push([column, values]);
  }
  return out;
}

/**
 * From cAdvisor series alone (reference/metrics.md §6.2):
 * - inactive_file ≈ usage − working set (exact unless the working set was clamped at 0);
 * - active_file ≈ cache − (usage − working set): cAdvisor exports no shmem, so this holds
 *   active_file + shmem, the file pages the working set counts.
 * No shmem estimate: even with container_memory_total_active_file_bytes, what is left of the cache
 * is not only tmpfs, and the passes treat shmem as unknown in Prometheus data.
 * Estimates are clamped at 0: v1 usage is a fuzzy value, and lossy inputs (Grafana "Formatted
 * data") can make a difference slightly negative.
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
  if (cache && inactive && !columns.activeFile) {
    const est = new Float64Array(n);
    for (let r = 0; r < n; r++) est[r] = clamp(cache[r] - inactive[r]);
    columns.activeFile = est;
    provenance.activeFile = 'estimated';
  }
}

function clamp(v: number): number {
  // NaN stays NaN: unknown in, unknown out.
  return Math.max(v, 0);
}
