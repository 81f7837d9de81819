import { describe, expect, it } from 'vitest';
import { loadFixture, loadText, MI, modelOf, samples } from '../../helpers/exports.js';

const T10 = 1_700_000_150_000;

describe('prometheus-exposition', () => {
  it('reads a kubelet scrape: Go %g values, ms timestamps; spec metrics take the container’s stats time', async () => {
    const ds = await loadFixture('scrape-1700000150.prom');
    expect(ds.input.format).toBe('prometheus-exposition');
    expect(ds.input.details.variant).toBe('Prometheus text');
    expect(samples(ds, 'container_memory_working_set_bytes', { container: 'reader' })).toEqual([
      [T10 + 217, 302 * MI],
    ]);
    // container_spec_memory_limit_bytes has no timestamp: it lands on the same row as usage
    expect(samples(ds, 'container_spec_memory_limit_bytes', { container: 'reader' })).toEqual([
      [T10 + 217, 1024 * MI],
    ]);
    expect(ds.input.warnings).toEqual([]);
  });

  it('reads OpenMetrics: seconds, # EOF, to the same values', async () => {
    const om = await loadFixture('openmetrics-1700000150.om.txt');
    const text = await loadFixture('scrape-1700000150.prom');
    expect(om.input.details.variant).toBe('OpenMetrics');
    for (const field of text.table.fields)
      expect(samples(om, field, { namespace: 'shop' })).toEqual(samples(text, field, { namespace: 'shop' }));
  });

  it('several snapshots form a series in the model', async () => {
    const model = modelOf(
      await loadFixture('scrape-1700000150.prom'),
      await loadFixture('scrape-1700000165.prom'),
      await loadFixture('scrape-1700000195.prom'),
    );
    const api = model.entities.find((e) => e.key === 'shop/checkout-7d9c/api')!;
    expect(Array.from(model.t.subarray(api.rowStart, api.rowEnd))).toEqual([
      T10 + 217,
      T10 + 15217,
      T10 + 45217,
    ]);
    expect(api.containerIds).toHaveLength(2); // restarted between the 2nd and 3rd snapshot
  });

  it('reads Kubernetes 1.15 labels: pod_name/container_name, and container_name="POD" is a sandbox', async () => {
    const model = modelOf(await loadFixture('k8s-1.15-dockershim-1700000150.prom'));
    const containers = model.entities.filter((e) => e.role === 'container').map((e) => e.key);
    expect(containers.sort()).toEqual(['shop/checkout-7d9c/api', 'shop/report-5c8b/reader']);
    const sandbox = model.entities.filter((e) => e.role === 'sandbox');
    expect(sandbox.map((e) => e.pod)).toEqual(['report-5c8b']);
    expect(model.entities.find((e) => e.key === 'shop/report-5c8b/reader')?.driver).toBe('cgroupfs');
  });

  it('places untimestamped samples at the time in the file name, else says it guessed', async () => {
    const text =
      '# TYPE kube_pod_container_status_restarts_total counter\nkube_pod_container_status_restarts_total{container="c",namespace="n",pod="p"} 3\n';
    const named = await loadText(text, {}, 'ksm-1700000000.prom');
    expect(samples(named, 'kube_pod_container_status_restarts_total', {})).toEqual([[1_700_000_000_000, 3]]);
    expect(named.input.details.sampleTime).toBe('the file name');
    const unnamed = await loadText(text, { now: 1_800_000_000_000 }, '-');
    expect(samples(unnamed, 'kube_pod_container_status_restarts_total', {})).toEqual([
      [1_800_000_000_000, 3],
    ]);
    expect(unnamed.input.warnings[0]).toMatch(/nothing says when this snapshot was taken/);
  });

  it('counts malformed lines with their number', async () => {
    const good = (i: number) => `container_memory_rss{pod="p"} ${i} ${1700000000000 + i * 15000}\n`;
    const text = `# TYPE container_memory_rss gauge\n${good(0)}${good(1)}container_memory_rss{pod="p" 6\n${good(2)}container_memory_rss{pod="q"} abc\n${good(3)}`;
    const ds = await loadText(text, {}, 'x.prom');
    expect(samples(ds, 'container_memory_rss', { pod: 'p' }).map((p) => p[1])).toEqual([0, 1, 2, 3]);
    expect(ds.input.details.badInput).toBe(2);
    expect(ds.input.warnings).toEqual([
      'x.prom:4: "container_memory_rss{pod="p" 6" is not a sample line; skipped',
      'x.prom:6: "container_memory_rss{pod="q"} abc" is not a sample line; skipped',
    ]);
  });

  it('reads promtool tsdb dump lines', async () => {
    const text =
      '{__name__="container_memory_working_set_bytes", container="app", namespace="shop", pod="app-7d9c"} 1.23456789e+08 1700000003217\n' +
      '{__name__="container_memory_working_set_bytes", container="app", namespace="shop", pod="app-7d9c"} 1.2347e+08 1700000018217\n';
    const ds = await loadText(text, {}, 'dump.txt');
    expect(ds.input.format).toBe('prometheus-exposition');
    expect(samples(ds, 'container_memory_working_set_bytes', { pod: 'app-7d9c' })).toEqual([
      [1_700_000_003_217, 123456789],
      [1_700_000_018_217, 123470000],
    ]);
  });
});
