import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import { fleetData, SEVERITIES } from '../../../src/report/charts/data.js';
import {
  ALERT_RATIO,
  fleetOverviewSpec,
  labelsOf,
  MAX_LABELS,
} from '../../../src/report/charts/fleet-overview.js';
import { compileSpec, renderSvg } from '../../../src/report/charts/render.js';
import type { AnalysisResult } from '../../../src/result.js';
import { analyzeCapture } from '../../helpers/capture.js';
import { incidentExport } from '../../helpers/prom-export.js';

type Layer = {
  name?: string;
  data: { values: Record<string, unknown>[] };
  mark: { type: string };
  // biome-ignore lint/suspicious/noExplicitAny: tests read encodings as the plain JSON they are
  encoding: Record<string, any>;
};
const layers = (spec: object) => (spec as { layer: Layer[] }).layer;
const href = (c: { entity: { index: number } }) => `#c-${c.entity.index}`;

let capture: AnalysisResult;
beforeAll(async () => {
  capture = await analyzeCapture();
});

describe('fleetData', () => {
  it('places every container of the real capture at peak usage and working set over its limit', () => {
    const d = fleetData(capture, href);
    expect(d.unplaced).toBe(0);
    expect(d.points).toHaveLength(3);
    for (const c of capture.containers) {
      const p = d.points.find((x) => x.key === c.entity.key)!;
      expect(p.usageRatio).toBeCloseTo(c.peak.usageBytes! / c.limitBytes!, 3);
      expect(p.workingSetRatio).toBeCloseTo(c.peak.workingSetBytes! / c.limitBytes!, 3);
      expect(p.severity).toBe(c.severity);
      expect(p.href).toBe(`#c-${c.entity.index}`);
    }
    // The cache-heavy reader sits bottom right: usage high, working set far below.
    const reader = d.points.find((p) => p.key.includes('reader'))!;
    expect(reader.usageRatio - reader.workingSetRatio).toBeGreaterThan(0.5);
    // Most severe last, so it is drawn on top.
    expect(d.points.at(-1)!.severity).toBe('critical');
  });

  it('leaves out containers without a limit and counts them', () => {
    const d = fleetData(analyzeDatasets([incidentExport()]), href);
    expect(d.unplaced).toBe(1);
    expect(d.points.map((p) => p.key)).not.toContain('tools/cron-1/cron');
  });
});

describe('fleetOverviewSpec', () => {
  it('draws the points with severity colour and shape, links, and the alert guides', () => {
    const data = fleetData(capture, href);
    const spec = fleetOverviewSpec(data);
    const points = layers(spec).find((l) => l.name === 'points')!;
    expect(points.mark.type).toBe('point');
    expect(points.data.values).toEqual(data.points);
    expect(points.encoding.x.field).toBe('usageRatio');
    expect(points.encoding.y.field).toBe('workingSetRatio');
    expect(points.encoding.color.field).toBe('severity');
    expect(points.encoding.color.scale.domain).toEqual([...SEVERITIES]);
    expect(points.encoding.shape.field).toBe('severity');
    expect(points.encoding.href.field).toBe('href');
    const rules = layers(spec).filter((l) => l.mark.type === 'rule');
    expect(rules.map((r) => r.data.values[0].v)).toEqual([ALERT_RATIO, ALERT_RATIO]);
    // x and y share one domain, wide enough for every point.
    expect(points.encoding.x.scale.domain).toEqual(points.encoding.y.scale.domain);
    expect(points.encoding.x.scale.domain[1]).toBeGreaterThanOrEqual(
      Math.max(...data.points.map((p) => p.usageRatio)),
    );
  });

  it('keeps the band label and the legend above the diagonal, where no point (nor its name) can be', () => {
    const spec = fleetOverviewSpec(fleetData(analyzeDatasets([incidentExport()]), href), { height: 360 });
    const band = layers(spec).find((l) => l.name === 'band-label')!;
    for (const d of band.data.values)
      expect(d.usageRatio as number).toBeLessThan(d.workingSetRatio as number);
    const legend = layers(spec).find((l) => l.name === 'points')!.encoding.color.legend;
    const domain = layers(spec).find((l) => l.name === 'points')!.encoding.y.scale.domain[1];
    // its top edge, as a share of the limit: below the band label, above the diagonal at the left
    const top = (1 - legend.legendY / 360) * domain;
    expect(legend.orient).toBe('none');
    expect(top).toBeLessThan(ALERT_RATIO);
    expect(top).toBeGreaterThan(0.5);
  });

  it('names containers with findings only, at most MAX_LABELS, on the side that stays inside the chart', () => {
    const data = fleetData(capture, href);
    const labels = layers(fleetOverviewSpec(data)).filter((l) => l.name?.startsWith('point-labels'));
    const named = labels.flatMap((l) => l.data.values.map((v) => v.label));
    expect(named.sort()).toEqual(
      data.points
        .filter((p) => p.severity !== 'ok')
        .map((p) => p.key)
        .sort(),
    );
    const left = labels.find((l) => l.name === 'point-labels-left')!;
    expect(left.data.values.every((v) => (v.usageRatio as number) > 0.6)).toBe(true);

    const spread = Array.from({ length: 40 }, (_, i) => ({
      ...data.points[0],
      key: `k${i}`,
      severity: 'warning' as const,
      usageRatio: i / 40,
      workingSetRatio: i / 80,
    }));
    const labelCount = (points: typeof spread) =>
      layers(fleetOverviewSpec({ points, unplaced: 0 }))
        .filter((l) => l.name?.startsWith('point-labels'))
        .reduce((s, l) => s + l.data.values.length, 0);
    expect(labelCount(spread)).toBe(MAX_LABELS);
  });

  it('prints one name per spot where containers coincide, with how many more are there', () => {
    const p = fleetData(capture, href).points[0];
    const same = [0, 1, 2].map((i) => ({ ...p, key: `ns/pod-${i}/app`, severity: 'info' as const }));
    expect(labelsOf(same).map((l) => l.label)).toEqual(['ns/pod-2/app +2']);
    const apart = [{ ...same[0] }, { ...same[1], usageRatio: same[1].usageRatio + 0.2 }];
    expect(labelsOf(apart).map((l) => l.label)).toEqual(['ns/pod-0/app', 'ns/pod-1/app']);
  });

  it('compiles without warnings and renders one mark per container, each a link to it', async () => {
    const spec = fleetOverviewSpec(fleetData(capture, href));
    expect((await compileSpec(spec)).warnings).toEqual([]);
    const svg = await renderSvg(spec);
    const group = svg.slice(svg.indexOf('points_marks'));
    expect(group.slice(0, group.indexOf('</g>')).match(/<path /g)).toHaveLength(3);
    for (const c of capture.containers) expect(svg).toContain(`xlink:href="#c-${c.entity.index}"`);
  });
});
