import type { Dataset, SeriesHint } from '../../src/import/types.js';
import { buildModel } from '../../src/model/build.js';
import type { MetricName } from '../../src/model/metrics.js';
import type { Entity } from '../../src/model/model.js';
import { containersOf, seriesOf } from '../../src/model/model.js';
import { SampleTableBuilder } from '../../src/model/samples.js';

/**
 * Prometheus-format data made from the numbers of a real capture: for each container, the
 * cAdvisor series a kubelet would export for it (labels namespace/pod/container/id/image/name),
 * optionally kube-state-metrics series, as a `kind: 'metrics'` Dataset — what the Prometheus,
 * Grafana and VictoriaMetrics importers produce.
 */
export interface MetricsOptions {
  /** Export container_memory_total_{active,inactive}_file_bytes (cAdvisor ≥ 0.47). Default false. */
  breakdown?: boolean;
  /** Export container_memory_workingset_refault_file_total (cAdvisor ≥ 0.60). Default false. */
  refaults?: boolean;
  /** Export container_memory_failcnt as cAdvisor does on cgroup v2: always 0. Default false. */
  failcntZero?: boolean;
  /** Leave container_spec_memory_limit_bytes out. */
  noLimit?: boolean;
  /** Export container_oom_events_total from the cgroup's oom_kill counter. */
  oomEvents?: boolean;
  /** Export kube-state-metrics restarts and last_terminated_reason from the oom_kill counter. */
  ksm?: boolean;
  /**
   * Change a value before it is exported: (metric, container key, sample index, value, the
   * capture's value of any column at any sample of the container) → value.
   */
  tweak?: (
    metric: string,
    key: string,
    i: number,
    v: number,
    at: (col: MetricName, j: number) => number,
  ) => number;
  /** Drop the samples of this container key for which it returns true. */
  drop?: (key: string, i: number) => boolean;
  /** Export every container series twice under a second job; `scale` 1 gives equal values. */
  duplicate?: { scale: number };
}

const CADVISOR: [string, MetricName][] = [
  ['container_memory_usage_bytes', 'usage'],
  ['container_memory_working_set_bytes', 'workingSet'],
  ['container_memory_rss', 'rss'],
  ['container_memory_cache', 'cache'],
  ['container_memory_mapped_file', 'mappedFile'],
  ['container_memory_swap', 'swap'],
  ['container_memory_failcnt', 'failcnt'],
  ['container_memory_kernel_usage', 'kernel'],
  ['container_memory_max_usage_bytes', 'maxUsage'],
];

export function metricsFromCapture(capture: Dataset, o: MetricsOptions = {}): Dataset {
  const model = buildModel([capture]);
  const b = new SampleTableBuilder();
  const hints: SeriesHint[] = [];
  const metrics: [string, MetricName][] = [...CADVISOR];
  if (o.breakdown)
    metrics.push(
      ['container_memory_total_active_file_bytes', 'activeFile'],
      ['container_memory_total_inactive_file_bytes', 'inactiveFile'],
    );
  if (o.refaults) metrics.push(['container_memory_workingset_refault_file_total', 'refaultFile']);
  if (o.oomEvents) metrics.push(['container_oom_events_total', 'oomKills']);
  if (!o.noLimit) metrics.push(['container_spec_memory_limit_bytes', 'limit']);
  for (const e of containersOf(model)) {
    const copies = o.duplicate ? [1, o.duplicate.scale] : [1];
    copies.forEach((scale, copy) => {
      const labels = labelsOf(e, copy ? 'cadvisor-2' : 'kubelet');
      const s = b.seriesId(JSON.stringify(labels));
      hints[s] = { labels };
      exportSeries(b, s, model, e, metrics, o, scale);
    });
    if (o.ksm) exportKsm(b, hints, model, e, o);
  }
  const table = b.build();
  return {
    kind: 'metrics',
    input: {
      path: `${capture.input.path} (as Prometheus data)`,
      format: 'test-metrics',
      warnings: [],
      details: {},
    },
    table,
    hints: table.series.map((_, s) => hints[s]),
  };
}

function labelsOf(e: Entity, job: string): Record<string, string> {
  return {
    namespace: e.namespace ?? '',
    pod: e.pod ?? '',
    container: e.container ?? '',
    id: e.cgroup ?? '',
    name: e.containerId ?? '',
    image: `memlens/fixture:${e.container ?? 'x'}`,
    job,
  };
}

function exportSeries(
  b: SampleTableBuilder,
  s: number,
  model: ReturnType<typeof buildModel>,
  e: Entity,
  metrics: [string, MetricName][],
  o: MetricsOptions,
  scale: number,
): void {
  const series = seriesOf(model, e);
  const at = (col: MetricName, j: number) =>
    series.col(col)?.[Math.max(0, Math.min(series.length - 1, j))] ?? Number.NaN;
  for (let i = 0; i < series.length; i++) {
    if (o.drop?.(e.key, i)) continue;
    const row = b.row(s, series.t[i]);
    for (const [metric, col] of metrics) {
      let v = series.col(col)?.[i];
      if (v === undefined || Number.isNaN(v)) continue;
      if (col === 'limit' && v === Number.POSITIVE_INFINITY) v = 0; // cAdvisor: unlimited → 0
      if (col === 'failcnt' && o.failcntZero) v = 0;
      if (o.tweak) v = o.tweak(metric, e.key, i, v, at);
      b.set(row, b.fieldId(metric), col === 'limit' || col === 'failcnt' ? v : v * scale);
    }
  }
}

/** kube-state-metrics: one restart and reason OOMKilled per increase of the cgroup's kill counter. */
function exportKsm(
  b: SampleTableBuilder,
  hints: SeriesHint[],
  model: ReturnType<typeof buildModel>,
  e: Entity,
  o: MetricsOptions,
): void {
  const series = seriesOf(model, e);
  const kills = series.col('oomKills');
  if (!kills) return;
  const base = {
    namespace: e.namespace ?? '',
    pod: e.pod ?? '',
    container: e.container ?? '',
    uid: e.podUid ?? '',
  };
  const restarts = b.seriesId(JSON.stringify({ ...base, job: 'kube-state-metrics' }));
  hints[restarts] = { labels: { ...base, job: 'kube-state-metrics' } };
  const oom = { ...base, reason: 'OOMKilled', job: 'kube-state-metrics' };
  const reason = b.seriesId(JSON.stringify(oom));
  hints[reason] = { labels: oom };
  let first = Number.NaN;
  for (let i = 0; i < series.length; i++) {
    if (o.drop?.(e.key, i) || Number.isNaN(kills[i])) continue;
    if (Number.isNaN(first)) first = kills[i];
    const n = kills[i] - first;
    b.set(b.row(restarts, series.t[i]), b.fieldId('kube_pod_container_status_restarts_total'), n);
    b.set(
      b.row(reason, series.t[i]),
      b.fieldId('kube_pod_container_status_last_terminated_reason'),
      n > 0 ? 1 : 0,
    );
  }
}
