import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/import/types.js';
import { deriveMetrics } from '../../src/model/derive-metrics.js';
import { SampleTableBuilder } from '../../src/model/samples.js';
import { MI, T0 } from '../helpers/exports.js';
import { metricsDataset } from '../helpers/metrics-dataset.js';

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

const L = { namespace: 'n', pod: 'p', container: 'c' };

describe('deriveMetrics: exports', () => {
  it('maps cAdvisor names; a cAdvisor limit of 0 means unlimited', () => {
    const ds = metricsDataset('x', [
      { name: 'container_memory_usage_bytes', labels: L, points: [[T0, 100 * MI]] },
      { name: 'container_spec_memory_limit_bytes', labels: L, points: [[T0, 0]] },
    ]);
    const d = deriveMetrics(ds);
    expect(d.columns.usage![0]).toBe(100 * MI);
    expect(d.columns.limit![0]).toBe(Number.POSITIVE_INFINITY);
    expect(d.provenance.limit).toBe('measured');
  });

  it('takes the memory limit from kube-state-metrics where cAdvisor has none, never the CPU one', () => {
    const ds = metricsDataset('x', [
      { name: 'container_spec_memory_limit_bytes', labels: L, points: [[T0, 64 * MI]] },
      {
        name: 'kube_pod_container_resource_limits',
        labels: { ...L, resource: 'memory', unit: 'byte' },
        points: [[T0 + 15000, 128 * MI]],
      },
      {
        name: 'kube_pod_container_resource_limits',
        labels: { ...L, resource: 'cpu', unit: 'core' },
        points: [[T0 + 15000, 2]],
      },
      {
        name: 'kube_pod_container_resource_limits_memory_bytes',
        labels: { ...L, pod: 'old' },
        points: [[T0, 32 * MI]],
      },
    ]);
    const d = deriveMetrics(ds);
    const values = Array.from(d.columns.limit!).filter((v) => !Number.isNaN(v));
    expect(values.sort((a, b) => a - b)).toEqual([32 * MI, 64 * MI, 128 * MI]);
    expect(ds.input.details.unknownMetrics).toEqual(['kube_pod_container_resource_limits{resource="cpu"}']);
  });

  it('estimates the breakdown from usage, working set and cache, marked as estimates', () => {
    const base = [
      { name: 'container_memory_usage_bytes', labels: L, points: [[T0, 900 * MI]] as [number, number][] },
      {
        name: 'container_memory_working_set_bytes',
        labels: L,
        points: [[T0, 300 * MI]] as [number, number][],
      },
      { name: 'container_memory_cache', labels: L, points: [[T0, 700 * MI]] as [number, number][] },
    ];
    const d = deriveMetrics(metricsDataset('x', base));
    expect(d.columns.inactiveFile![0]).toBe(600 * MI);
    expect(d.columns.activeFile![0]).toBe(100 * MI); // active file + shmem: cAdvisor has no shmem
    expect(d.columns.shmem).toBeUndefined();
    expect(d.provenance).toMatchObject({ inactiveFile: 'estimated', activeFile: 'estimated' });
    // with container_memory_total_active_file_bytes the measured value stays; shmem stays unknown
    const withActive = deriveMetrics(
      metricsDataset('x', [
        ...base,
        { name: 'container_memory_total_active_file_bytes', labels: L, points: [[T0, 60 * MI]] },
      ]),
    );
    expect(withActive.columns.activeFile![0]).toBe(60 * MI);
    expect(withActive.provenance).toMatchObject({ activeFile: 'measured' });
    expect(withActive.columns.shmem).toBeUndefined();
  });

  it('reads the last termination reason as 1 (OOMKilled) or 0 (another), in both shapes', () => {
    const fromImporter = metricsDataset('x', [
      {
        name: 'kube_pod_container_status_last_terminated_reason',
        labels: { ...L, reason: 'OOMKilled' },
        points: [[T0, 1]],
      },
      {
        name: 'kube_pod_container_status_last_terminated_reason',
        labels: { ...L, reason: 'Error' },
        points: [[T0 + 15000, 1]],
      },
      {
        name: 'kube_pod_container_status_last_terminated_reason',
        labels: { ...L, reason: 'Completed' },
        points: [[T0 + 30000, 0]],
      },
    ]);
    const d = deriveMetrics(fromImporter);
    expect(Array.from(d.columns.lastTerminatedOom!)).toEqual([1, 0, Number.NaN]);
    expect(fromImporter.input.details.unknownMetrics).toEqual([]);
    // the bare name with the reason kept as a label on the series (other producers of datasets)
    const b = new SampleTableBuilder();
    const hints: Dataset['hints'] = [];
    ['OOMKilled', 'Error'].forEach((reason, i) => {
      const s = b.seriesId(reason);
      hints[s] = { labels: { ...L, reason } };
      b.set(b.row(s, T0 + i * 15000), b.fieldId('kube_pod_container_status_last_terminated_reason'), 1);
    });
    const bare: Dataset = {
      kind: 'metrics',
      input: { path: 'bare', format: 'test', warnings: [], details: {} },
      table: b.build(),
      hints,
    };
    expect(Array.from(deriveMetrics(bare).columns.lastTerminatedOom!)).toEqual([1, 0]);
  });

  it('reads kubernetes-mixin recording rules as the metric they record', () => {
    const ds = metricsDataset('x', [
      {
        name: 'node_namespace_pod_container:container_memory_working_set_bytes',
        labels: { ...L, node: 'a' },
        points: [[T0, 5]],
      },
      {
        name: 'cluster:namespace:pod_memory:active:kube_pod_container_resource_limits',
        labels: { ...L, resource: 'memory' },
        points: [[T0, 7]],
      },
    ]);
    const d = deriveMetrics(ds);
    expect(Array.from(d.columns.workingSet!).filter((v) => !Number.isNaN(v))).toEqual([5]);
    expect(Array.from(d.columns.limit!).filter((v) => !Number.isNaN(v))).toEqual([7]);
  });
});
