import { KNOWN_METRIC_FIELDS, readsField } from '../../model/derive-metrics.js';

/**
 * Metric names and labels as exports carry them → the fields and identities of the model:
 * - cAdvisor names pass through; kubernetes-mixin recording rules
 *   (`node_namespace_pod_container:container_memory_working_set_bytes` and kin,
 *   `cluster:namespace:pod_memory:active:kube_pod_container_resource_limits`) become the metric
 *   they record;
 * - metrics whose meaning depends on a label (kube-state-metrics `resource="memory"`,
 *   `reason="OOMKilled"`, cAdvisor `failure_type`) carry that label in the field name
 *   (`kube_pod_container_resource_limits{resource="memory"}`), so CPU limits never become memory
 *   limits, and the label leaves the identity, so every reason of one container is one series;
 * - kube-state-metrics v1 names (`kube_pod_container_resource_limits_memory_bytes`) map to v2;
 * - labels renamed by a scrape without honor_labels (`exported_pod`…) are put back, and a
 *   kube-state-metrics series drops the labels of the exporter's own target (`instance`, `job`…),
 *   which name the kube-state-metrics pod, not the container.
 */
export interface NormalisedSeries {
  field: string;
  labels: Record<string, string>;
}

const RECORDING_RULES: Record<string, string> = {
  'cluster:namespace:pod_memory:active:kube_pod_container_resource_limits':
    'kube_pod_container_resource_limits',
  'cluster:namespace:pod_memory:active:kube_pod_container_resource_requests':
    'kube_pod_container_resource_requests',
};

const KSM_V1: Record<string, [string, Record<string, string>]> = {
  kube_pod_container_resource_limits_memory_bytes: [
    'kube_pod_container_resource_limits',
    { resource: 'memory' },
  ],
  kube_pod_container_resource_requests_memory_bytes: [
    'kube_pod_container_resource_requests',
    { resource: 'memory' },
  ],
};

/** Labels that say what a sample of the family measures, rather than which container it is. */
const DISCRIMINATORS: Record<string, { keep: string[]; drop: string[] }> = {
  kube_pod_container_resource_limits: { keep: ['resource'], drop: ['unit'] },
  kube_pod_container_resource_requests: { keep: ['resource'], drop: ['unit'] },
  kube_pod_container_status_last_terminated_reason: { keep: ['reason'], drop: [] },
  kube_pod_container_status_terminated_reason: { keep: ['reason'], drop: [] },
  kube_pod_container_status_waiting_reason: { keep: ['reason'], drop: [] },
  container_memory_failures_total: { keep: ['failure_type', 'scope'], drop: [] },
};

const EXPORTED = ['namespace', 'pod', 'container', 'node'];
const TARGET_LABELS = ['instance', 'job', 'endpoint', 'service', 'metrics_path'];

const KNOWN_FAMILIES = new Set([...KNOWN_METRIC_FIELDS].map((f) => f.replace(/\{.*$/, '')));

/** The metric a (possibly recording-rule) name stands for. */
export function baseMetric(name: string): string {
  const rule = RECORDING_RULES[name];
  if (rule) return rule;
  const parts = name.split(':');
  // level:metric, where the level aggregates per container (kubernetes-mixin naming).
  if (parts.length === 2 && parts[0].includes('container') && KNOWN_FAMILIES.has(parts[1])) return parts[1];
  return name;
}

export function normaliseSeries(name: string, input: Record<string, string>): NormalisedSeries {
  let base = baseMetric(name);
  const labels: Record<string, string> = { ...input };
  delete labels.__name__;
  const v1 = KSM_V1[base];
  if (v1) {
    base = v1[0];
    Object.assign(labels, v1[1]);
  }
  for (const k of EXPORTED) {
    const e = labels[`exported_${k}`];
    if (e !== undefined) {
      labels[k] = e;
      delete labels[`exported_${k}`];
    }
  }
  if (base.startsWith('kube_')) for (const k of TARGET_LABELS) delete labels[k];
  const d = DISCRIMINATORS[base];
  let field = base;
  if (d) {
    const parts: string[] = [];
    for (const k of d.keep) {
      if (labels[k] !== undefined) parts.push(`${k}="${labels[k]}"`);
      delete labels[k];
    }
    for (const k of d.drop) delete labels[k];
    if (parts.length) field = `${base}{${parts.join(',')}}`;
  }
  return { field, labels };
}

/** True when the model maps the field to a canonical column. */
export function isKnownField(field: string): boolean {
  return readsField(field);
}

/** True when a bare name (no labels) is a metric the model knows, not a legend like "Value". */
export function isKnownMetricName(name: string): boolean {
  return KNOWN_FAMILIES.has(baseMetric(name)) || name in KSM_V1;
}
