import { describe, expect, it } from 'vitest';
import { loadFixture, loadText, samples, T0 } from '../../helpers/exports.js';

describe('prometheus-csv', () => {
  it('reads query_csv.py output (CRLF, name,timestamp,value,labels) to the JSON answer', async () => {
    const csv = await loadFixture('query-csv-py.csv');
    const json = await loadFixture('prometheus-query-range.json');
    expect(csv.input.format).toBe('prometheus-csv');
    expect(csv.input.details.variant).toMatch(/query_csv\.py/);
    for (const field of json.table.fields)
      expect(samples(csv, field, { namespace: 'shop' }), field).toEqual(
        samples(json, field, { namespace: 'shop' }),
      );
  });

  it('reads promql-cli output: labels first, RFC3339 in the host zone, empty cells for missing labels', async () => {
    const text =
      '__name__,container,namespace,pod,value,timestamp\n' +
      'container_memory_working_set_bytes,app,shop,app-7d9c,123456789,2023-11-15T00:13:20+02:00\n' +
      'container_memory_working_set_bytes,app,shop,app-7d9c,123470592,2023-11-15T00:13:35+02:00\n' +
      'container_memory_working_set_bytes,,shop,app-7d9c,1.5e+08,2023-11-15T00:13:35+02:00\n\n';
    const ds = await loadText(text, {}, 'promql.csv');
    expect(ds.input.details.variant).toMatch(/promql-cli/);
    expect(samples(ds, 'container_memory_working_set_bytes', { container: 'app' })).toEqual([
      [T0, 123456789],
      [T0 + 15000, 123470592],
    ]);
    // the empty container cell is no label: the pod-level series
    const pod = ds.hints.findIndex((h) => h.labels && !('container' in h.labels));
    expect(pod).toBeGreaterThanOrEqual(0);
  });

  it('reads pandas to_csv of prometheus-api-client frames: index first, float seconds, string values', async () => {
    const text =
      'timestamp,__name__,container,namespace,pod,value\n' +
      '1700000000.0,container_memory_rss,app,shop,p,NaN\n' +
      '1700000015.5,container_memory_rss,app,shop,p,42\n';
    const ds = await loadText(text, {}, 'df.csv');
    expect(ds.input.details.variant).toMatch(/pandas/);
    expect(samples(ds, 'container_memory_rss', {})).toEqual([[T0 + 15500, 42]]);
    // the real thing: labels first seen in later series come after `value`
    const real = await loadFixture('pandas-metric-range-df.csv');
    const json = await loadFixture('prometheus-query-range.json');
    for (const field of json.table.fields)
      expect(samples(real, field, { namespace: 'shop' }), field).toEqual(
        samples(json, field, { namespace: 'shop' }),
      );
    expect(ds.input.details.emptySamples).toBe(1);
  });

  it('counts every bad row with its line, shows the first five, and keeps the rest', async () => {
    let text = 'name,timestamp,value,pod\r\n';
    for (let i = 0; i < 10; i++)
      text += `container_memory_rss,${1700000000 + i * 15},${i % 2 ? 'oops' : i},p\r\n`;
    text += 'container_memory_rss,1700000150\r\n';
    const ds = await loadText(text, {}, 'bad.csv');
    expect(samples(ds, 'container_memory_rss', { pod: 'p' }).map((p) => p[1])).toEqual([0, 2, 4, 6, 8]);
    expect(ds.input.details.badInput).toBe(6);
    expect(ds.input.warnings).toEqual([
      'bad.csv:3: "oops" is not a number; sample skipped',
      'bad.csv:5: "oops" is not a number; sample skipped',
      'bad.csv:7: "oops" is not a number; sample skipped',
      'bad.csv:9: "oops" is not a number; sample skipped',
      'bad.csv:11: "oops" is not a number; sample skipped',
      'bad.csv:12: 2 fields where the header has 4; row skipped: container_memory_rss,1700000150',
    ]);
  });

  it('reads quoted label values, even ones holding the delimiter or a newline', async () => {
    const text =
      'name,timestamp,value,pod,note\n' +
      'container_memory_rss,1700000000,1,p,plain\n' +
      'container_memory_rss,1700000000,2,q,"a,b"\n' +
      'container_memory_rss,1700000015,3,q,"line1\nline2"\n' +
      'container_memory_rss,1700000030,4,p,plain\n';
    const ds = await loadText(text, {}, 'q.csv');
    expect(samples(ds, 'container_memory_rss', { note: 'a,b' })).toEqual([[T0, 2]]);
    expect(samples(ds, 'container_memory_rss', { note: 'line1\nline2' })).toEqual([[T0 + 15000, 3]]);
    expect(samples(ds, 'container_memory_rss', { pod: 'p' })).toEqual([
      [T0, 1],
      [T0 + 30000, 4],
    ]);
    expect(ds.input.details.badInput).toBe(0);
  });
});
