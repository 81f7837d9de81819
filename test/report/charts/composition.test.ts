import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import { seriesOf } from '../../../src/model/model.js';
import { compositionSpec, ESTIMATED_OPACITY } from '../../../src/report/charts/composition.js';
import { compositionData, MAX_POINTS, PARTS, pickRows } from '../../../src/report/charts/data.js';
import { compileSpec, renderSvg, uniqueIds } from '../../../src/report/charts/render.js';
import type { AnalysisResult } from '../../../src/result.js';
import { analyzeCapture } from '../../helpers/capture.js';
import { incidentExport, MiB, promDataset } from '../../helpers/prom-export.js';

type Layer = {
  name?: string;
  data: { values: Record<string, unknown>[] };
  transform?: { fold?: string[] }[];
  mark: { type: string };
  // biome-ignore lint/suspicious/noExplicitAny: tests read encodings as the plain JSON they are
  encoding: Record<string, any>;
  params?: { name: string }[];
};
const layers = (spec: object) => (spec as { layer: Layer[] }).layer;

let capture: AnalysisResult;
beforeAll(async () => {
  capture = await analyzeCapture();
});
const byKey = (r: AnalysisResult, part: string) => r.containers.find((c) => c.entity.key.includes(part))!;

describe('compositionData', () => {
  it('takes every sample of the OOM-killed container, in MiB, with all parts measured', () => {
    const c = byKey(capture, 'checkout');
    const d = compositionData(capture, c);
    const s = seriesOf(capture.model, c.entity);
    expect(d.unit.name).toBe('MiB');
    expect(d.rows).toHaveLength(s.length);
    expect(d.drawn).toBe(d.samples);
    expect(d.parts.map((p) => p.label)).toEqual(PARTS.map((p) => p.label));
    expect(d.parts.map((p) => p.column)).toEqual(['rss', 'shmem', 'kernel', 'activeFile', 'inactiveFile']);
    expect(d.parts.every((p) => !p.estimated)).toBe(true);
    expect(d.lines.map((l) => l.label)).toEqual(['usage', 'working set', 'limit']);
    const usage = s.col('usage')!;
    const rss = s.col('rss')!;
    d.rows.forEach((row, i) => {
      expect(row.t).toBe(s.t[i]);
      expect(row.usage).toBeCloseTo(usage[i] / MiB, 2);
      expect(row.rss).toBeCloseTo(rss[i] / MiB, 2);
      expect(row.limit).toBe(48);
    });
  });

  it('marks the OOM kills at the findings’ intervals', () => {
    const c = byKey(capture, 'checkout');
    const kills = capture.findings.filter((f) => f.entity === c.entity && f.code === 'oom-kill/killed');
    expect(kills).toHaveLength(2);
    expect(compositionData(capture, c).kills).toEqual(
      kills.map((f) => ({ from: f.from, to: f.to, kills: 1 })),
    );
    expect(compositionData(capture, byKey(capture, 'reader')).kills).toEqual([]);
  });

  it('names estimated parts of a Prometheus export as estimated, and draws no line for "no limit"', () => {
    const r = analyzeDatasets([incidentExport()]);
    const d = compositionData(r, byKey(r, 'reader'));
    expect(d.parts.map((p) => [p.label, p.estimated])).toEqual([
      ['anon', false],
      ['active file (estimated)', true],
      ['inactive file (estimated)', true],
    ]);
    const cron = compositionData(r, byKey(r, 'cron'));
    expect(cron.lines.map((l) => l.column)).toEqual(['usage', 'workingSet']);
  });

  it('resamples long series to at most the budget, keeping the spike and the dip', () => {
    const n = 5000;
    const r = analyzeDatasets([
      promDataset(
        [
          {
            namespace: 'a',
            pod: 'b',
            container: 'c',
            limit: 1024 * MiB,
            at: (i) => ({ rss: (i === 3777 ? 900 : i === 1234 ? 10 : 300) * MiB, cache: 0, inactive: 0 }),
          },
        ],
        { samples: n },
      ),
    ]);
    const d = compositionData(r, r.containers[0]);
    expect(d.samples).toBe(n);
    expect(d.drawn).toBeLessThanOrEqual(MAX_POINTS + 2);
    const usage = d.rows.map((row) => row.usage as number);
    expect(Math.max(...usage)).toBe(900);
    expect(Math.min(...usage)).toBe(10);
    const ts = d.rows.map((row) => row.t as number);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });
});

describe('pickRows', () => {
  it('keeps everything that fits, and always the samples it is told to keep', () => {
    expect(pickRows([1, 2, 3], [5, 6, 7], 10, new Set())).toEqual([0, 1, 2]);
    const t = Array.from({ length: 1000 }, (_, i) => i);
    const by = t.map(() => 1);
    const rows = pickRows(t, by, 50, new Set([500, 501]));
    expect(rows).toContain(500);
    expect(rows).toContain(501);
    expect(rows[0]).toBe(0);
    expect(rows.at(-1)).toBe(999);
    expect(rows.length).toBeLessThanOrEqual(52);
  });
});

describe('compositionSpec', () => {
  it('stacks the parts bottom-up, draws the lines unstacked and a rule per OOM kill', () => {
    const c = byKey(capture, 'checkout');
    const d = compositionData(capture, c);
    const spec = compositionSpec(d);
    expect((spec as { data: { values: unknown[] } }).data.values).toBe(d.rows);
    const parts = layers(spec).find((l) => l.name === 'parts')!;
    expect(parts.mark.type).toBe('area');
    // Few samples: each holds until the next (steps).
    expect((parts.mark as { interpolate?: string }).interpolate).toBe('step-after');
    expect(parts.transform![0].fold).toEqual(d.parts.map((p) => p.column));
    expect(parts.encoding.y.stack).toBe('zero');
    expect(parts.encoding.color.field).toBe('part');
    expect(parts.encoding.color.scale.domain).toEqual(d.parts.map((p) => p.label));
    expect(parts.encoding.x.scale.type).toBe('utc');
    const lines = layers(spec).find((l) => l.name === 'lines')!;
    expect(lines.mark.type).toBe('line');
    expect(lines.transform![0].fold).toEqual(['usage', 'workingSet', 'limit']);
    expect(lines.encoding.stroke.scale.domain).toEqual(['usage', 'working set', 'limit']);
    expect(lines.encoding.y.stack).toBeNull();
    const rules = layers(spec).find((l) => l.name === 'oom-kills')!;
    expect(rules.mark.type).toBe('rule');
    expect(rules.data.values.map((v) => v.to)).toEqual(d.kills.map((k) => k.to));
    // The hover layer exists only when asked for (interactive pages).
    expect(layers(spec).some((l) => l.params?.some((p) => p.name === 'hover'))).toBe(false);
    expect(
      layers(compositionSpec(d, { hover: true })).some((l) => l.params?.some((p) => p.name === 'hover')),
    ).toBe(true);
  });

  it('draws estimated parts pale', () => {
    const r = analyzeDatasets([incidentExport()]);
    const spec = compositionSpec(compositionData(r, byKey(r, 'reader')));
    const parts = layers(spec).find((l) => l.name === 'parts')!;
    expect(parts.encoding.opacity.condition.test.oneOf).toEqual([
      'active file (estimated)',
      'inactive file (estimated)',
    ]);
    expect(parts.encoding.opacity.condition.value).toBe(ESTIMATED_OPACITY);
  });

  it('compiles without warnings and renders an area per part, a line per series and the kill rules', async () => {
    const d = compositionData(capture, byKey(capture, 'checkout'));
    for (const hover of [false, true])
      expect((await compileSpec(compositionSpec(d, { hover }))).warnings).toEqual([]);
    const svg = await renderSvg(compositionSpec(d));
    expect(svg.match(/class="mark-area role-mark parts_marks"/g)).toHaveLength(d.parts.length);
    expect(svg.match(/class="mark-line role-mark lines_marks"/g)).toHaveLength(d.lines.length);
    const kills = svg.slice(svg.indexOf('oom_kills_marks'));
    expect(kills.slice(0, kills.indexOf('</g>')).match(/<line /g)).toHaveLength(2);
  });

  it('static SVG: the same drawing without the area and line marks’ per-sample ARIA labels', async () => {
    const d = compositionData(capture, byKey(capture, 'checkout'));
    expect((await compileSpec(compositionSpec(d, { markAria: false }))).warnings).toEqual([]);
    const withAria = uniqueIds(await renderSvg(compositionSpec(d)), 'x');
    const without = uniqueIds(await renderSvg(compositionSpec(d, { markAria: false })), 'x');
    // vega labels an area or a line with its first sample only.
    expect(withAria).toContain('aria-label="time (UTC): 19:16:50; memory (MiB):');
    expect(without).not.toMatch(/aria-roledescription="(area|line) mark"/);
    // The kill rules and their labels keep theirs: one per kill, each says when.
    expect(without).toContain('aria-roledescription="rule mark"');
    const unlabelled = (svg: string) =>
      svg.replace(/ (aria-label|aria-roledescription|role|aria-hidden)="[^"]*"/g, '');
    expect(unlabelled(without)).toBe(unlabelled(withAria));
  });
});
