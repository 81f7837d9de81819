import { Collector, partOf } from '../../src/import/metrics/collector.js';
import { toDataset } from '../../src/import/metrics/to-dataset.js';
import type { Dataset } from '../../src/import/types.js';

export interface SeriesSpec {
  name: string;
  labels: Record<string, string>;
  /** [epoch ms, value] */
  points: [number, number][];
}

/** A metrics dataset through the real collector and pivot, from plain series. */
export function metricsDataset(path: string, series: SeriesSpec[]): Dataset {
  const c = new Collector();
  for (const s of series) {
    const id = c.series(s.name, s.labels);
    for (const [t, v] of s.points) c.add(id, t, v);
  }
  return toDataset([partOf(c)], { path, format: 'test' });
}
