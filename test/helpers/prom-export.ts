import type { Dataset } from '../../src/import/types.js';
import { SampleTableBuilder } from '../../src/model/samples.js';

/**
 * A Prometheus export as the importers hand it to the model: a `kind: 'metrics'` dataset whose
 * fields are cAdvisor metric names and whose series carry the kubelet's labels. Used where a test
 * needs "a report from a Prometheus export" without depending on an importer.
 */
export interface PromContainer {
  namespace: string;
  pod: string;
  container: string;
  /** Limit in bytes; 0 is cAdvisor's "no limit". */
  limit: number;
  /** Per sample: anon (rss), page cache, and the inactive part of the cache, in bytes. */
  at(i: number): { rss: number; cache: number; inactive: number };
}

export const MiB = 1024 * 1024;

export function promDataset(
  containers: PromContainer[],
  opts: { samples?: number; stepMs?: number; start?: number; path?: string; node?: string } = {},
): Dataset {
  const samples = opts.samples ?? 120;
  const step = opts.stepMs ?? 15_000;
  const start = opts.start ?? Date.parse('2026-11-27T18:00:00Z');
  const node = opts.node ?? 'node-a';
  const b = new SampleTableBuilder();
  const f = {
    usage: b.fieldId('container_memory_usage_bytes'),
    ws: b.fieldId('container_memory_working_set_bytes'),
    rss: b.fieldId('container_memory_rss'),
    cache: b.fieldId('container_memory_cache'),
    limit: b.fieldId('container_spec_memory_limit_bytes'),
  };
  const hints: Dataset['hints'] = [];
  containers.forEach((c, k) => {
    const id = `/kubepods/burstable/pod${String(k).padStart(8, '0')}-0000-4000-8000-000000000000/${'c'.repeat(60)}${String(k).padStart(4, '0')}`;
    const labels = { namespace: c.namespace, pod: c.pod, container: c.container, id, node, instance: node };
    const s = b.seriesId(JSON.stringify(labels));
    hints[s] = { labels };
    for (let i = 0; i < samples; i++) {
      const row = b.row(s, start + i * step);
      const { rss, cache, inactive } = c.at(i);
      // cAdvisor: usage = rss + cache (+ kernel), working set = usage − inactive_file.
      b.set(row, f.usage, rss + cache);
      b.set(row, f.ws, rss + cache - inactive);
      b.set(row, f.rss, rss);
      b.set(row, f.cache, cache);
      b.set(row, f.limit, c.limit);
    }
  });
  return {
    kind: 'metrics',
    input: {
      path: opts.path ?? 'prometheus-export.json',
      format: 'prometheus-api-json',
      warnings: [],
      details: {},
    },
    table: b.build(),
    hints,
    node,
  };
}

/**
 * Four containers an SRE would meet: one whose working set creeps to its limit, one whose usage
 * is inflated by page cache, one with no limit, and one whose every label is hostile markup.
 */
export function incidentExport(samples = 120): Dataset {
  const ramp = (i: number) => i / (samples - 1);
  return promDataset(
    [
      {
        namespace: 'shop',
        pod: 'api-6b7f9c',
        container: 'api',
        limit: 512 * MiB,
        at: (i) => ({ rss: (300 + 180 * ramp(i)) * MiB, cache: 24 * MiB, inactive: 4 * MiB }),
      },
      {
        namespace: 'batch',
        pod: 'reader-0',
        container: 'reader',
        limit: 1024 * MiB,
        at: (i) => ({
          rss: 200 * MiB,
          cache: (300 + 600 * ramp(i)) * MiB,
          inactive: (260 + 580 * ramp(i)) * MiB,
        }),
      },
      {
        namespace: 'tools',
        pod: 'cron-1',
        container: 'cron',
        limit: 0,
        at: (i) => ({ rss: (40 + (i % 10)) * MiB, cache: 8 * MiB, inactive: 2 * MiB }),
      },
      {
        namespace: '<img src=x onerror=alert(1)>',
        pod: '</script><script>alert(2)</script>',
        container: `a"b'c&d<!--`,
        limit: 256 * MiB,
        at: (i) => ({
          rss: 60 * MiB,
          cache: (120 + 40 * ramp(i)) * MiB,
          inactive: (110 + 40 * ramp(i)) * MiB,
        }),
      },
    ],
    { samples },
  );
}
