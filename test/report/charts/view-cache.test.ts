import type { TopLevelSpec } from 'vega-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import { layoutOf, planCharts } from '../../../src/report/charts/index.js';
import { compactSvg, compileSpec, renderSvg, uniqueIds } from '../../../src/report/charts/render.js';
import { parameterize, TITLE_PARAM } from '../../../src/report/charts/view-cache.js';
import type { AnalysisResult } from '../../../src/result.js';
import { analyzeCapture } from '../../helpers/capture.js';
import { incidentExport, MiB, promDataset } from '../../helpers/prom-export.js';

/** The SVG a view built for this spec alone draws: what renderSvg did before views were kept. */
async function freshSvg(spec: TopLevelSpec): Promise<string> {
  const vega = await import('vega');
  const view = new vega.View(vega.parse((await compileSpec(spec)).vega), {
    renderer: 'none',
    logLevel: vega.None,
  });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

let specs: TopLevelSpec[];
let capture: AnalysisResult;
beforeAll(async () => {
  capture = await analyzeCapture();
  const leak = analyzeDatasets([
    promDataset(
      Array.from({ length: 4 }, (_, k) => ({
        namespace: 'ns',
        pod: `pod-${k}`,
        container: 'app',
        limit: (256 << k) * MiB,
        at: (i: number) => ({
          rss: (100 + k * 40 + i / 4) * MiB,
          cache: (10 + (i % 9)) * MiB,
          inactive: 4 * MiB,
        }),
      })),
      { samples: 900 },
    ),
  ]);
  // Measured and estimated parts, OOM kills, no limit, hostile labels, resampled series, MiB and
  // GiB axes, and the fleet overviews: every skeleton a report has, several charts per skeleton.
  specs = [capture, analyzeDatasets([incidentExport()]), leak].flatMap((r) =>
    planCharts(r, layoutOf(r)).map((p) => p.spec),
  );
});

describe('parameterize', () => {
  it('names the inline data sets and makes the title a parameter', () => {
    const [fleet, composition] = planCharts(capture, layoutOf(capture));
    const p = parameterize(composition.spec);
    const rows = (composition.spec as { data: { values: object[] } }).data.values;
    expect(p.data[0]).toEqual(['memlens_data_0', rows]);
    expect(p.title).toBe(composition.container!.entity.key);
    expect(p.key).not.toContain(composition.container!.entity.key);
    expect(p.key).toContain(`"text":{"expr":"${TITLE_PARAM}"}`);
    // The OOM kill rule and its label share one array: one data set.
    const kills = composition.composition!.kills.length;
    expect(kills).toBeGreaterThan(0);
    expect(p.data).toHaveLength(3);
    expect(parameterize(fleet.spec).key).not.toBe(p.key);
  });

  it('gives charts that differ only in data and title the same key, and others another', () => {
    const r = analyzeDatasets([incidentExport()]);
    const plans = planCharts(r, layoutOf(r)).slice(1);
    const keys = plans.map((p) => parameterize(p.spec).key);
    const shapes = plans.map((p) =>
      JSON.stringify([
        p.composition!.parts,
        p.composition!.lines,
        p.composition!.unit,
        p.composition!.kills.length > 0,
      ]),
    );
    for (let i = 0; i < plans.length; i++)
      for (let j = 0; j < plans.length; j++) expect(keys[i] === keys[j]).toBe(shapes[i] === shapes[j]);
    expect(new Set(keys).size).toBeLessThan(keys.length);
  });
});

describe('renderSvg with kept views', () => {
  it('draws every chart exactly as a view built for it alone, in any order', async () => {
    expect(specs.length).toBeGreaterThan(10);
    const expected = await Promise.all(specs.map(async (s) => uniqueIds(await freshSvg(s), 'x')));
    const orders = [specs.map((_, i) => i), specs.map((_, i) => specs.length - 1 - i)];
    orders.push(orders[0].map((i) => (i * 7) % specs.length).filter((v, k, a) => a.indexOf(v) === k));
    for (const order of orders)
      for (const i of order) expect(uniqueIds(await renderSvg(specs[i]), 'x')).toBe(expected[i]);
  }, 120_000);

  it('leaves the spec’s rows as they were (vega parses dates into the rows it is given)', async () => {
    const spec = specs[1] as { data: { values: Record<string, unknown>[] } };
    const before = JSON.stringify(spec.data.values);
    await renderSvg(specs[1]);
    await renderSvg(specs[1]);
    expect(JSON.stringify(spec.data.values)).toBe(before);
    expect(typeof spec.data.values[0].t).toBe('number');
  });

  it('reports a chart that cannot be drawn, every time, and goes on drawing the others', async () => {
    // An expression vega cannot parse: the view for this skeleton is never built, nor kept.
    const bad = {
      ...specs[1],
      transform: [{ calculate: 'datum.t +', as: 'broken' }],
    } as TopLevelSpec;
    await expect(renderSvg(bad)).rejects.toThrow();
    await expect(renderSvg(bad)).rejects.toThrow();
    expect(uniqueIds(await renderSvg(specs[1]), 'x')).toBe(uniqueIds(await freshSvg(specs[1]), 'x'));
  });
});

describe('uniqueIds', () => {
  it('numbers ids per chart, so a page does not depend on what was drawn before', async () => {
    const a = uniqueIds(await renderSvg(specs[1]), 'c-1');
    await renderSvg(specs[0]);
    const b = uniqueIds(await renderSvg(specs[1]), 'c-1');
    expect(a).toBe(b);
    expect(a).toContain('id="c-1-clip1"');
    expect(a).toContain('url(#c-1-clip1)');
    expect(a).not.toMatch(/id="clip\d/);
  });
});
