import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import { layoutOf, planCharts } from '../../../src/report/charts/index.js';
import { renderSvg } from '../../../src/report/charts/render.js';
import { parameterize } from '../../../src/report/charts/view-cache.js';
import { warmUp, warmUpSpecs } from '../../../src/report/charts/warm-up.js';
import { MiB, promDataset } from '../../helpers/prom-export.js';

describe('warmUpSpecs', () => {
  it('includes a composition with the skeleton of a Prometheus export’s charts, so its view is reused', () => {
    const r = analyzeDatasets([
      promDataset(
        [0, 1].map((k) => ({
          namespace: 'ns',
          pod: `pod-${k}`,
          container: 'app',
          limit: 1024 * MiB,
          // Cache-heavy, so each gets a finding and a chart.
          at: (i: number) => ({ rss: (200 + k) * MiB, cache: (700 + (i % 30)) * MiB, inactive: 650 * MiB }),
        })),
        { samples: 720 },
      ),
    ]);
    const charts = planCharts(r, layoutOf(r)).slice(1);
    expect(charts).toHaveLength(2);
    const keys = new Set(charts.map((c) => parameterize(c.spec).key));
    expect(keys.size).toBe(1);
    expect(keys.has(parameterize(warmUpSpecs()[1]).key)).toBe(true);
  });

  it('draws', async () => {
    for (const spec of warmUpSpecs()) expect(await renderSvg(spec)).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });

  it('stops at the first check that says a real chart waits, else after its rounds', async () => {
    let checks = 0;
    expect(await warmUp(() => ++checks > 3, 5)).toBe(3);
    expect(await warmUp(() => false, 2)).toBe(2 * warmUpSpecs().length);
  });
});
