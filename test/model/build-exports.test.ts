import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { buildModel } from '../../src/model/build.js';
import { seriesOf } from '../../src/model/model.js';
import { load, loadFixture, loadText, MI, T0 } from '../helpers/exports.js';
import type { SeriesSpec } from '../helpers/metrics-dataset.js';
import { metricsDataset } from '../helpers/metrics-dataset.js';

const L = { namespace: 'shop', pod: 'p', container: 'app' };
const OLD =
  '/kubepods/burstable/pod11111111-2222-3333-4444-555555555555/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const NEW =
  '/kubepods/burstable/pod11111111-2222-3333-4444-555555555555/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const steps = (n: number, f: (i: number) => number, from = 0): [number, number][] =>
  Array.from({ length: n }, (_, i) => [T0 + (from + i) * 15000, f(from + i)]);

describe('buildModel with exports', () => {
  it('merges samples of one container from several series on the same timestamp into one row', () => {
    const ds = metricsDataset('x.json', [
      { name: 'container_memory_usage_bytes', labels: { ...L, id: OLD }, points: steps(3, () => 100 * MI) },
      {
        name: 'kube_pod_container_resource_limits',
        labels: { ...L, resource: 'memory', uid: '11111111-2222-3333-4444-555555555555' },
        points: steps(3, () => 256 * MI),
      },
    ]);
    const model = buildModel([ds]);
    const app = model.entities.filter((e) => e.role === 'container');
    expect(app).toHaveLength(1);
    const s = seriesOf(model, app[0]);
    expect(s.length).toBe(3);
    expect(Array.from(s.col('usage')!)).toEqual([100 * MI, 100 * MI, 100 * MI]);
    expect(Array.from(s.col('limit')!)).toEqual([256 * MI, 256 * MI, 256 * MI]);
    expect(app[0].podUid).toBe('11111111-2222-3333-4444-555555555555');
  });

  it('after a restart the new cgroup wins over the old series’ stale repeats, in time order', () => {
    const ds = metricsDataset('x.json', [
      // Prometheus repeats the old series for up to 5 minutes after it stopped
      {
        name: 'container_memory_working_set_bytes',
        labels: { ...L, id: OLD },
        points: steps(8, (i) => (i < 4 ? 200 + i : 203) * MI),
      },
      {
        name: 'container_memory_working_set_bytes',
        labels: { ...L, id: NEW },
        points: steps(4, (i) => 50 + i, 4).map(([t, v]) => [t, v * MI]),
      },
    ]);
    const model = buildModel([ds]);
    const [app] = model.entities.filter((e) => e.role === 'container');
    expect(app.containerIds).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect(app.containerId).toBe('b'.repeat(64));
    expect(Array.from(seriesOf(model, app).col('workingSet')!).map((v) => v / MI)).toEqual([
      200, 201, 202, 203, 54, 55, 56, 57,
    ]);
  });

  it('carries kube-state-metrics and cAdvisor OOM evidence as their own columns, resets bridged', () => {
    const ksm = { ...L, uid: '11111111-2222-3333-4444-555555555555' };
    const ds = metricsDataset('x.json', [
      { name: 'container_memory_working_set_bytes', labels: { ...L, id: OLD }, points: steps(6, () => MI) },
      // a restart count that starts again (kube-state-metrics restarted): bridged
      {
        name: 'kube_pod_container_status_restarts_total',
        labels: ksm,
        points: steps(6, (i) => [0, 0, 1, 1, 0, 1][i]),
      },
      {
        name: 'kube_pod_container_status_last_terminated_reason',
        labels: { ...ksm, reason: 'OOMKilled' },
        points: steps(2, () => 1, 2),
      },
      {
        name: 'kube_pod_container_status_last_terminated_reason',
        labels: { ...ksm, reason: 'Error' },
        points: steps(2, () => 1, 4),
      },
      { name: 'container_oom_events_total', labels: { ...L, id: OLD }, points: steps(6, () => 0) },
    ]);
    const model = buildModel([ds]);
    const [app] = model.entities.filter((e) => e.role === 'container');
    const s = seriesOf(model, app);
    expect(Array.from(s.col('restarts')!)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(Array.from(s.col('lastTerminatedOom')!)).toEqual([Number.NaN, Number.NaN, 1, 1, 0, 0]);
    expect(Array.from(s.col('oomEvents')!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(s.has('oomKills')).toBe(false); // no cgroup counter in an export
    expect(app.quality?.counterResets).toEqual({ restarts: 1 });
  });

  it('counts a series exported twice (HA replicas) as duplicated or conflicting samples', () => {
    const ds = metricsDataset('x.json', [
      {
        name: 'container_memory_usage_bytes',
        labels: { ...L, id: OLD, prometheus_replica: 'a' },
        points: steps(3, () => MI),
      },
      {
        name: 'container_memory_usage_bytes',
        labels: { ...L, id: OLD, prometheus_replica: 'b' },
        points: steps(3, (i) => (i === 2 ? 2 * MI : MI)),
      },
    ]);
    const model = buildModel([ds]);
    const [app] = model.entities.filter((e) => e.role === 'container');
    expect(seriesOf(model, app).length).toBe(3);
    expect(app.quality).toMatchObject({ duplicateSamples: 2, conflictingSamples: 1 });
  });

  it('joins a cgroup capture and an export of the same node on the container ID', async () => {
    const capture = await load(
      join(import.meta.dirname, '..', 'fixtures', 'v1-oom-killed-and-cache-inflated.tar.gz'),
    );
    const api =
      '/kubepods/burstable/pod4d0debc5-bb3d-2cc5-e4b1-4c22a0bc6a44/95fdc25a86450d67740f4348d09612ac6438e5f286016a5c695e7f3688a0f16f';
    const first = capture.table.t[0];
    const exp = metricsDataset('prom.json', [
      {
        name: 'container_memory_working_set_bytes',
        // cAdvisor's labels; the pod name differs from kubectl's only to show whose names win
        labels: { id: api, namespace: 'shop', pod: 'checkout-7d9f', container: 'api', image: 'x' },
        points: [
          [first - 60_000, 10 * MI],
          [first, 11 * MI],
        ],
      },
    ]);
    const model = buildModel([capture, exp]);
    const matches = model.entities.filter((e) => e.key === 'shop/checkout-7d9f/api');
    expect(matches).toHaveLength(1);
    const e = matches[0];
    expect([...e.sources].sort()).toEqual([capture.input.path, 'prom.json'].sort());
    const s = seriesOf(model, e);
    expect(s.t[0]).toBe(first - 60_000); // the export's longer history comes first
    expect(s.col('workingSet')![0]).toBe(10 * MI);
    // on the shared timestamp the capture (first input) keeps its exact value
    expect(s.col('workingSet')![1]).not.toBe(11 * MI);
    expect(s.has('shmem')).toBe(true); // the breakdown only the capture has
    expect(model.entities.filter((x) => x.role === 'container')).toHaveLength(3);
  });

  it('keeps the real export’s container set: two containers, pods and pause as context', async () => {
    const model = buildModel([await loadFixture('prometheus-query-range.json')]);
    const byRole = (r: string) =>
      model.entities
        .filter((e) => e.role === r)
        .map((e) => e.key)
        .sort();
    expect(byRole('container')).toEqual(['shop/checkout-7d9c/api', 'shop/report-5c8b/reader']);
    expect(byRole('pod')).toEqual(['shop/checkout-7d9c', 'shop/report-5c8b']);
    expect(byRole('node')).toEqual(['/']);
    expect(byRole('sandbox')).toHaveLength(1);
    const api = model.entities.find((e) => e.key === 'shop/checkout-7d9c/api')!;
    expect(api.parent).toBe(model.entities.find((e) => e.key === 'shop/checkout-7d9c')!.index);
    const s = seriesOf(model, api);
    expect(s.col('restarts')![s.length - 1]).toBe(1);
    expect(s.col('lastTerminatedOom')![s.length - 1]).toBe(1);
    expect(s.col('limit')![0]).toBe(256 * MI);
  });

  it('keeps an idle sidecar without a limit a container when the export names it', () => {
    const pod = '/kubepods/burstable/pod11111111-2222-3333-4444-555555555555';
    const ds = metricsDataset('x.json', [
      { name: 'container_memory_usage_bytes', labels: { ...L, id: OLD }, points: steps(2, () => 100 * MI) },
      {
        name: 'container_spec_memory_limit_bytes',
        labels: { ...L, id: OLD },
        points: steps(2, () => 256 * MI),
      },
      {
        name: 'container_memory_usage_bytes',
        labels: { ...L, container: 'sidecar', id: `${pod}/${'c'.repeat(64)}` },
        points: steps(2, () => 512 * 1024),
      },
      {
        name: 'container_spec_memory_limit_bytes',
        labels: { ...L, container: 'sidecar', id: `${pod}/${'c'.repeat(64)}` },
        points: steps(2, () => 0),
      },
    ]);
    const model = buildModel([ds]);
    expect(
      model.entities
        .filter((e) => e.role === 'container')
        .map((e) => e.container)
        .sort(),
    ).toEqual(['app', 'sidecar']);
  });
});

describe('buildModel with limits sampled apart from the gauges', () => {
  const cadvisor =
    '{"__name__":"container_memory_working_set_bytes","container":"app","namespace":"shop","pod":"p"}';
  const spec =
    '{"__name__":"container_spec_memory_limit_bytes","container":"app","namespace":"shop","pod":"p"}';
  const reason =
    '{"__name__":"kube_pod_container_status_last_terminated_reason","container":"app","namespace":"shop","pod":"p","reason":"OOMKilled"}';
  // VictoriaMetrics /api/v1/export keeps raw sample times: cAdvisor stamps usage metrics with its
  // stats time (…3217) and spec metrics with none, so they get the scrape time (…5000).
  const ws = [250, 255, 259, 262].map((v) => v * 1e6);
  const vm = [
    `{"metric":${cadvisor},"values":[${ws}],"timestamps":[${ws.map((_, i) => T0 + i * 30000 + 3217)}]}`,
    `{"metric":${spec},"values":[268435456,268435456,268435456,268435456],"timestamps":[${ws.map((_, i) => T0 + i * 30000 + 5000)}]}`,
  ];

  it('gives every working-set sample the limit in force, as PromQL would, without rows of their own', async () => {
    const model = buildModel([await loadText(`${vm.join('\n')}\n`, {}, 'vm.jsonl')]);
    const [app] = model.entities.filter((e) => e.role === 'container');
    const s = seriesOf(model, app);
    expect(Array.from(s.t)).toEqual(ws.map((_, i) => T0 + i * 30000 + 3217));
    expect(Array.from(s.col('workingSet')!)).toEqual(ws);
    // the first sample takes the limit scraped 1.8 s after it
    expect(Array.from(s.col('limit')!)).toEqual([268435456, 268435456, 268435456, 268435456]);
    expect(model.t.length).toBe(model.entities.reduce((n, e) => n + e.rowEnd - e.rowStart, 0));
    // …so the passes see 97.6 % of the limit, and no gaps between samples 30 s apart.
    const r = analyzeDatasets([await loadText(`${vm.join('\n')}\n`, {}, 'vm.jsonl')], { now: 0 });
    expect(r.findings.map((f) => f.code)).toEqual(['working-set-near-limit/near']);
  });

  it('keeps a termination reason after the last gauge sample, and a limit with no sample near it', async () => {
    const late = `{"metric":${reason},"values":[1],"timestamps":[${T0 + 4 * 30000 + 5000}]}`;
    const far = `{"metric":${spec},"values":[536870912],"timestamps":[${T0 - 10 * 60000}]}`;
    const model = buildModel([await loadText(`${[...vm, late, far].join('\n')}\n`, {}, 'vm.jsonl')]);
    const [app] = model.entities.filter((e) => e.role === 'container');
    const s = seriesOf(model, app);
    expect(Array.from(s.t)).toEqual([
      T0 - 10 * 60000,
      ...ws.map((_, i) => T0 + i * 30000 + 3217),
      T0 + 4 * 30000 + 5000,
    ]);
    expect(Array.from(s.col('limit')!).map((v) => v / MI)).toEqual([512, 256, 256, 256, 256, Number.NaN]);
    expect(Array.from(s.col('lastTerminatedOom')!).at(-1)).toBe(1);
  });
});

describe('buildModel with one name for containers that ran side by side', () => {
  const ws = (id: string, cluster: string, mib: number) => ({
    name: 'container_memory_working_set_bytes',
    labels: { ...L, id, cluster },
    points: steps(40, () => mib * MI),
  });

  it('keeps them apart, named by the label that tells them apart, with their own limits', () => {
    const ds = metricsDataset('thanos.json', [
      ws(OLD, 'eu-1', 960),
      ws(NEW, 'us-1', 100),
      {
        name: 'kube_pod_container_resource_limits',
        labels: { ...L, resource: 'memory', cluster: 'us-1' },
        points: steps(40, () => 512 * MI),
      },
    ]);
    const model = buildModel([ds]);
    const apps = model.entities.filter((e) => e.role === 'container');
    expect(apps.map((e) => e.key).sort()).toEqual(['shop/p/app [cluster=eu-1]', 'shop/p/app [cluster=us-1]']);
    const peak = (key: string) => {
      const s = seriesOf(model, apps.find((e) => e.key === key)!);
      const limit = s.col('limit')?.[0] ?? Number.NaN;
      return [Math.max(...s.col('workingSet')!) / MI, Number.isNaN(limit) ? undefined : limit / MI];
    };
    expect(peak('shop/p/app [cluster=eu-1]')).toEqual([960, undefined]);
    expect(peak('shop/p/app [cluster=us-1]')).toEqual([100, 512]);
  });

  it('keeps a capture and an export of another pod with the same name apart (pod UIDs differ)', async () => {
    const samples = join(import.meta.dirname, '..', '..', 'samples');
    const model = buildModel([
      await load(join(samples, 'v1-oom-killed-leak.tar.gz')),
      await load(join(samples, 'prometheus-oom-killed-and-cache-inflated.json')),
    ]);
    const apis = model.entities.filter((e) => e.role === 'container' && e.container === 'api');
    expect(apis.map((e) => [e.key, e.podUid?.slice(0, 8)]).sort()).toEqual([
      ['shop/checkout-7d9f/api [pod 058f9f63]', '058f9f63'],
      ['shop/checkout-7d9f/api [pod 4d0debc5]', '4d0debc5'],
    ]);
  });

  it('still merges a restart whose old series Prometheus repeats for 5 minutes', () => {
    const ds = metricsDataset('x.json', [
      { ...ws(OLD, 'eu-1', 200), points: steps(30, () => 200 * MI) },
      { ...ws(NEW, 'eu-1', 50), points: steps(20, () => 50 * MI, 10) },
    ]);
    const apps = buildModel([ds]).entities.filter((e) => e.role === 'container');
    expect(apps.map((e) => [e.key, e.containerIds.length])).toEqual([['shop/p/app', 2]]);
  });
});

describe('buildModel with two limits for one container', () => {
  it('takes the cgroup’s (cAdvisor) over the spec’s (kube-state-metrics), whatever the order', () => {
    const cadvisor = {
      name: 'container_spec_memory_limit_bytes',
      labels: { ...L, id: OLD },
      points: steps(3, () => 1000 * MI),
    };
    const ksm = {
      name: 'kube_pod_container_resource_limits',
      labels: { ...L, resource: 'memory' },
      points: steps(3, () => 800 * MI),
    };
    const limitOf = (...series: SeriesSpec[]) => {
      const model = buildModel(series.map((s, i) => metricsDataset(`${i}.json`, [s])));
      const [app] = model.entities.filter((e) => e.role === 'container');
      return Array.from(seriesOf(model, app).col('limit')!).map((v) => v / MI);
    };
    expect(limitOf(cadvisor, ksm)).toEqual([1000, 1000, 1000]);
    expect(limitOf(ksm, cadvisor)).toEqual([1000, 1000, 1000]);
  });
});
