import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/import/types.js';
import { deriveMetrics } from '../../src/model/derive-metrics.js';
import { SampleTableBuilder } from '../../src/model/samples.js';

/** kube-state-metrics series as an importer gives them: one series per label set. */
function ksm(
  rows: { labels: Record<string, string>; metric: string; values: [number, number][] }[],
): Dataset {
  const b = new SampleTableBuilder();
  const hints: Dataset['hints'] = [];
  for (const r of rows) {
    const s = b.seriesId(JSON.stringify({ ...r.labels, __name__: r.metric }));
    hints[s] = { labels: r.labels };
    for (const [t, v] of r.values) b.set(b.row(s, t), b.fieldId(r.metric), v);
  }
  return {
    kind: 'metrics',
    input: { path: 'ksm', format: 'test', warnings: [], details: {} },
    table: b.build(),
    hints,
  };
}

const C = { namespace: 'shop', pod: 'api-1', container: 'api' };

describe('deriveMetrics: kube-state-metrics', () => {
  it('turns the reason series into lastTerminatedOom: 1 for OOMKilled, 0 for another reason', () => {
    const ds = ksm([
      {
        labels: { ...C, reason: 'OOMKilled' },
        metric: 'kube_pod_container_status_last_terminated_reason',
        values: [[1000, 1]],
      },
      {
        labels: { ...C, reason: 'Error' },
        metric: 'kube_pod_container_status_last_terminated_reason',
        values: [[2000, 1]],
      },
      {
        labels: { ...C, reason: 'Completed' },
        metric: 'kube_pod_container_status_last_terminated_reason',
        values: [[3000, 0]],
      },
      { labels: C, metric: 'kube_pod_container_status_restarts_total', values: [[1000, 3]] },
    ]);
    const d = deriveMetrics(ds);
    const values = [...d.columns.lastTerminatedOom!];
    expect(values.filter((v) => !Number.isNaN(v)).sort()).toEqual([0, 1]);
    expect(d.provenance.lastTerminatedOom).toBe('measured');
    expect([...d.columns.restarts!].filter((v) => !Number.isNaN(v))).toEqual([3]);
  });

  it('takes the memory limit from resource_limits{resource="memory"} when cAdvisor has none', () => {
    const ds = ksm([
      {
        labels: { ...C, resource: 'memory', unit: 'byte' },
        metric: 'kube_pod_container_resource_limits',
        values: [[1000, 536870912]],
      },
      {
        labels: { ...C, resource: 'cpu', unit: 'core' },
        metric: 'kube_pod_container_resource_limits',
        values: [[1000, 2]],
      },
    ]);
    expect([...deriveMetrics(ds).columns.limit!].filter((v) => !Number.isNaN(v))).toEqual([536870912]);
  });

  it('maps container_oom_events_total to its own column, not to the cgroup kill counter', () => {
    const ds = ksm([{ labels: C, metric: 'container_oom_events_total', values: [[1000, 2]] }]);
    const d = deriveMetrics(ds);
    expect([...d.columns.oomEvents!]).toEqual([2]);
    expect(d.columns.oomKills).toBeUndefined();
  });
});
