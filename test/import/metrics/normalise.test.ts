import { describe, expect, it } from 'vitest';
import { baseMetric, isKnownMetricName, normaliseSeries } from '../../../src/import/metrics/normalise.js';
import { formatLabels, parseSeriesName, readSeriesName } from '../../../src/import/metrics/series-name.js';

describe('series names', () => {
  it('parses every way Grafana, promtool and exporters write a series', () => {
    const want = { name: 'm', labels: { a: 'x', b: 'y' } };
    expect(parseSeriesName('m{a="x", b="y"}')).toEqual(want); // backend Prometheus, promtool
    expect(parseSeriesName('m{a="x",b="y"}')).toEqual(want); // legacy frontend, exposition
    expect(parseSeriesName('{__name__="m", a="x", b="y"}')).toEqual(want); // auto legend, tsdb dump
    expect(parseSeriesName('m{a="x",b="y",}')).toEqual(want);
    expect(parseSeriesName('{a="x"}')).toEqual({ name: '', labels: { a: 'x' } });
    expect(parseSeriesName('m{id="C:\\\\dir", q="say \\"hi\\"", n="a\\nb"}')?.labels).toEqual({
      id: 'C:\\dir',
      q: 'say "hi"',
      n: 'a\nb',
    });
  });

  it('unescapes only the names Grafana Go-quoted (backend Verbose), not its legacy or auto ones', () => {
    // systemd writes "-" in unit names as \x2d; Go's %q doubles the backslash, the frontend does not
    const id = (text: string) => parseSeriesName(text, 'grafana')?.labels.id;
    expect(id('m{id="/a\\\\x2d.mount", instance="n1"}')).toBe('/a\\x2d.mount'); // Verbose, %q
    expect(id('m{id="/a\\x2d.mount",instance="n1"}')).toBe('/a\\x2d.mount'); // legacy frontend
    expect(id('{__name__="m", id="/a\\x2d.mount"}')).toBe('/a\\x2d.mount'); // auto legend
    expect(parseSeriesName('m{id="/a\\x2d.mount",b="c"}', 'none')?.labels.id).toBe('/a\\x2d.mount');
    // a value that itself starts with a comma is no legacy separator (found by the property test)
    expect(parseSeriesName('m{container="\\\\", namespace=",a", pod="a"}', 'grafana')?.labels).toEqual({
      container: '\\',
      namespace: ',a',
      pod: 'a',
    });
  });

  it('keeps custom legends opaque', () => {
    expect(parseSeriesName('app-7d9c')).toBeNull();
    expect(parseSeriesName('m{a=x}')).toBeNull();
    expect(readSeriesName('Value')).toBeNull(); // a word, not a known metric
    expect(readSeriesName('container_memory_rss')).toEqual({ name: 'container_memory_rss', labels: {} });
    expect(readSeriesName('m{a="", b="1"}')).toEqual({ name: 'm', labels: { b: '1' } });
  });

  it('formats label sets canonically', () => {
    expect(formatLabels({ b: '2', a: 'say "x"' })).toBe('{a="say \\"x\\"",b="2"}');
  });
});

describe('normaliseSeries', () => {
  it('moves the label that says what a sample measures into the field', () => {
    expect(
      normaliseSeries('kube_pod_container_resource_limits', {
        container: 'c',
        namespace: 'n',
        pod: 'p',
        resource: 'memory',
        unit: 'byte',
        instance: '10.0.0.1:8080',
        job: 'kube-state-metrics',
      }),
    ).toEqual({
      field: 'kube_pod_container_resource_limits{resource="memory"}',
      labels: { container: 'c', namespace: 'n', pod: 'p' },
    });
    expect(
      normaliseSeries('kube_pod_container_status_last_terminated_reason', { pod: 'p', reason: 'OOMKilled' })
        .field,
    ).toBe('kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}');
  });

  it('maps kube-state-metrics v1 names and puts back labels renamed by honor_labels=false', () => {
    expect(
      normaliseSeries('kube_pod_container_resource_limits_memory_bytes', {
        exported_pod: 'p',
        exported_namespace: 'n',
        exported_container: 'c',
        pod: 'kube-state-metrics-0',
        namespace: 'monitoring',
      }),
    ).toEqual({
      field: 'kube_pod_container_resource_limits{resource="memory"}',
      labels: { pod: 'p', namespace: 'n', container: 'c' },
    });
  });

  it('knows kubernetes-mixin recording rules, keeps cAdvisor scrape labels', () => {
    expect(baseMetric('node_namespace_pod_container:container_memory_rss')).toBe('container_memory_rss');
    expect(baseMetric('namespace:container_memory_usage_bytes:sum')).toBe(
      'namespace:container_memory_usage_bytes:sum',
    );
    expect(isKnownMetricName('node_namespace_pod_container:container_memory_cache')).toBe(true);
    expect(normaliseSeries('container_memory_rss', { pod: 'p', instance: 'node-a' }).labels).toEqual({
      pod: 'p',
      instance: 'node-a',
    });
  });
});
