import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { fixture, loadFixture, loadText, MI, samples, T0 } from '../../helpers/exports.js';

const WS = 'container_memory_working_set_bytes';
const OLD = { container: 'api', name: '3b1c5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d' };

describe('prometheus-json', () => {
  it('reads a real query_range answer: series per identity, values, normalised KSM fields', async () => {
    const ds = await loadFixture('prometheus-query-range.json');
    expect(ds.input.format).toBe('prometheus-json');
    expect(ds.input.details.variant).toBe('query_range envelope');
    expect(ds.kind).toBe('metrics');
    // 11 identities: api ×2 ids, reader, 2 pod cgroups, pause, node root, 2 KSM containers ×2 label sets
    expect(ds.table.series).toHaveLength(11);
    const ws = samples(ds, WS, OLD);
    expect(ws[0]).toEqual([T0, 150 * MI]);
    // Prometheus repeats a series that stopped for up to 5 minutes: all 24 steps are there
    expect(ws).toHaveLength(24);
    expect(ds.table.fields).toContain('kube_pod_container_resource_limits{resource="memory"}');
    expect(ds.input.details.unknownMetrics).toEqual(['kube_pod_container_resource_limits{resource="cpu"}']);
    const limits = samples(ds, 'kube_pod_container_resource_limits{resource="memory"}', { container: 'api' });
    expect(limits[0]).toEqual([T0, 256 * MI]);
    // the kube-state-metrics series keeps the container's labels, not the exporter's
    const ksm = ds.hints.find((h) => h.labels?.uid && h.labels.container === 'api' && !h.labels.node);
    expect(ksm?.labels).toEqual({
      container: 'api',
      namespace: 'shop',
      pod: 'checkout-7d9c',
      uid: '5f3e0c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b',
    });
    expect(ds.input.warnings).toEqual([]);
  });

  it('reads the gzip of the same answer and promtool -o json (bare array) to the same table', async () => {
    const plain = await loadFixture('prometheus-query-range.json');
    const gz = await loadFixture('prometheus-query-range.json.gz');
    const bare = await loadFixture('promtool-query-range.json');
    expect(gz.table).toEqual(plain.table);
    expect(bare.input.details.variant).toMatch(/bare array/);
    expect(samples(bare, WS, OLD)).toEqual(samples(plain, WS, OLD));
    expect(bare.table.length).toBe(plain.table.length);
  });

  it('turns an error answer into one line that quotes Prometheus', async () => {
    const err = loadText(
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error"}',
      {},
      'err.json',
    );
    await expect(err).rejects.toThrow(InputError);
    await expect(err).rejects.toThrow(
      /err\.json: holds a Prometheus error, not data: bad_data invalid parameter "query"/,
    );
    // the same answer through `jq -S`: keys sorted, status last
    const sorted = loadText(
      '{"error":"exceeded maximum resolution of 11,000 points per timeseries","errorType":"bad_data","status":"error"}',
      {},
      'sorted.json',
    );
    await expect(sorted).rejects.toThrow(
      /sorted\.json: holds a Prometheus error, not data: bad_data exceeded/,
    );
  });

  it('passes on what Prometheus said beside the data: warnings and infos', async () => {
    const ds = await loadText(
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"container_memory_rss","pod":"a","namespace":"n","container":"c"},"values":[[1700000000,"5"]]}]},' +
        '"warnings":["PromQL warning: mix of histograms and floats"],"infos":["PromQL info: metric might not be a counter"]}',
      {},
      'notes.json',
    );
    expect(ds.input.warnings).toEqual([
      'notes.json: Prometheus warned: PromQL warning: mix of histograms and floats',
      'notes.json: Prometheus noted: PromQL info: metric might not be a counter',
    ]);
  });

  it('keeps what a cut file holds and counts bad samples with their line', async () => {
    const text =
      '{"status":"success","data":{"resultType":"matrix","result":[\n' +
      '{"metric":{"__name__":"container_memory_rss","pod":"a","namespace":"n","container":"c"},"values":[[1700000000,"5"],[1700000015,"x"],["t","1"]]},\n' +
      '{"metric":{"__name__":"container_memory_rss","pod":"b","namespace":"n","container":"c"},"values":[[1700000000,"7"]';
    const ds = await loadText(text, {}, 'cut.json');
    expect(samples(ds, 'container_memory_rss', { pod: 'a' })).toEqual([[T0, 5]]);
    expect(ds.input.details.badInput).toBe(3);
    expect(ds.input.warnings.join('\n')).toMatch(
      /cut\.json:2: container_memory_rss\{.*\}: sample \[1700000015,"x"\]/,
    );
    expect(ds.input.warnings.join('\n')).toMatch(/cut\.json:3: .*ends inside this entry/);
    expect(ds.input.warnings.join('\n')).toMatch(/the JSON ends early/);
  });

  it('is told apart from other JSON', async () => {
    await expect(loadText('{"kind":"PodList","items":[]}', {}, 'x.json')).rejects.toThrow(
      /no format memlens knows/,
    );
    expect(fixture('x')).toMatch(/exports/);
  });
});
