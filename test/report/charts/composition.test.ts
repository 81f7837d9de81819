import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import { seriesOf } from '../../../src/model/model.js';
import {
  compositionSpec,
  ESTIMATED_OPACITY,
  MEASURED_OPACITY,
  stackHigh,
  stackLow,
} from '../../../src/report/charts/composition.js';
import { compositionData, MAX_POINTS, PARTS, pickRows } from '../../../src/report/charts/data.js';
import { compileSpec, renderSvg, uniqueIds } from '../../../src/report/charts/render.js';
import { LINE_COLORS } from '../../../src/report/charts/theme.js';
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

/** The rows as the chart's vega view holds them after the spec's own transforms (the stack). */
async function stackedRows(spec: object): Promise<Record<string, number | null>[]> {
  const vega = await import('vega');
  const compiled = (await compileSpec(spec as Parameters<typeof compileSpec>[0])).vega;
  const stacked = compiled.data.find((d: { transform?: { as?: string }[] }) =>
    d.transform?.some((t) => t.as === stackHigh('rss')),
  );
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  await view.runAsync();
  return view.data(stacked.name);
}

describe('compositionSpec', () => {
  it('stacks the parts bottom-up, one band per part, draws the lines unstacked and a rule per OOM kill', async () => {
    const c = byKey(capture, 'checkout');
    const d = compositionData(capture, c);
    const spec = compositionSpec(d);
    expect((spec as { data: { values: unknown[] } }).data.values).toBe(d.rows);
    const parts = layers(spec).filter((l) => l.name?.startsWith('parts-'));
    expect(parts.map((l) => l.name)).toEqual(d.parts.map((p) => `parts-${p.column}`));
    for (const [i, l] of parts.entries()) {
      expect(l.mark.type).toBe('area');
      // Few samples: each holds until the next (steps).
      expect((l.mark as { interpolate?: string }).interpolate).toBe('step-after');
      expect(l.encoding.y.field).toBe(stackHigh(d.parts[i].column));
      expect(l.encoding.y2.field).toBe(stackLow(d.parts[i].column));
      expect(l.encoding.color.datum).toBe(d.parts[i].label);
      expect(l.encoding.color.scale.domain).toEqual(d.parts.map((p) => p.label));
      expect(l.encoding.x.scale.type).toBe('utc');
    }
    // The bands, as vega computes them: each starts where the parts below end.
    const rows = await stackedRows(spec);
    expect(rows).toHaveLength(d.rows.length);
    rows.forEach((row, k) => {
      let below = 0;
      for (const p of d.parts) {
        const v = d.rows[k][p.column];
        expect(row[stackLow(p.column)]).toBeCloseTo(below, 9);
        if (v === null) expect(row[stackHigh(p.column)]).toBeNull();
        else expect(row[stackHigh(p.column)]).toBeCloseTo(below + v, 9);
        below += v ?? 0;
      }
      // All parts of a capture add up to usage (rss + shmem + kernel + file cache).
      expect(below).toBeCloseTo(d.rows[k].usage as number, 0);
    });
    const lines = layers(spec).filter((l) => l.name?.startsWith('lines-'));
    expect(lines.map((l) => l.name)).toEqual(['lines-usage', 'lines-workingSet', 'lines-limit']);
    for (const l of lines) {
      expect(l.mark.type).toBe('line');
      expect(l.encoding.y.field).toBe(l.name!.slice('lines-'.length));
      expect(l.encoding.stroke.scale.domain).toEqual(['usage', 'working set', 'limit']);
    }
    expect(lines.map((l) => l.encoding.strokeDash.value)).toEqual([
      [1, 0],
      [1, 0],
      [6, 3],
    ]);
    const rules = layers(spec).find((l) => l.name === 'oom-kills')!;
    expect(rules.mark.type).toBe('rule');
    expect(rules.data.values.map((v) => v.to)).toEqual(d.kills.map((k) => k.to));
    // The hover layer exists only when asked for (interactive pages).
    expect(layers(spec).some((l) => l.params?.some((p) => p.name === 'hover'))).toBe(false);
    expect(
      layers(compositionSpec(d, { hover: true })).some((l) => l.params?.some((p) => p.name === 'hover')),
    ).toBe(true);
  });

  it('leaves a part without a band where it is unknown, and stacks the parts above on the known ones', async () => {
    const c = byKey(capture, 'checkout');
    const d = compositionData(capture, c);
    const gap = 2;
    const rows = d.rows.map((r, k) => (k === gap ? { ...r, shmem: null } : r));
    const stacked = await stackedRows(compositionSpec({ ...d, rows }));
    expect(stacked[gap][stackHigh('shmem')]).toBeNull();
    expect(stacked[gap][stackLow('kernel')]).toBeCloseTo(rows[gap].rss as number, 9);
  });

  it('draws estimated parts pale', () => {
    const r = analyzeDatasets([incidentExport()]);
    const d = compositionData(r, byKey(r, 'reader'));
    const parts = layers(compositionSpec(d)).filter((l) => l.name?.startsWith('parts-'));
    expect(parts.map((l) => (l.mark as { opacity?: number }).opacity)).toEqual(
      d.parts.map((p) => (p.estimated ? ESTIMATED_OPACITY : MEASURED_OPACITY)),
    );
    expect(d.parts.filter((p) => p.estimated).map((p) => p.label)).toEqual([
      'active file (estimated)',
      'inactive file (estimated)',
    ]);
  });

  it('compiles without warnings and renders an area per part, a line per series and the kill rules', async () => {
    const d = compositionData(capture, byKey(capture, 'checkout'));
    for (const hover of [false, true])
      expect((await compileSpec(compositionSpec(d, { hover }))).warnings).toEqual([]);
    const svg = await renderSvg(compositionSpec(d));
    expect(svg.match(/class="mark-area role-mark parts_\w+_marks"/g)).toHaveLength(d.parts.length);
    expect(svg.match(/class="mark-line role-mark lines_\w+_marks"/g)).toHaveLength(d.lines.length);
    const kills = svg.slice(svg.indexOf('oom_kills_marks'));
    expect(kills.slice(0, kills.indexOf('</g>')).match(/<line /g)).toHaveLength(2);
    // The lines' legend: one entry per line in its colour, the limit's dashed like its line.
    const symbols = [
      ...svg.matchAll(/d="M-5,0L5,0" stroke="([^"]+)" stroke-width="[^"]+" stroke-dasharray="([^"]+)"/g),
    ];
    expect(symbols.map((m) => [m[1], m[2]])).toEqual([
      [LINE_COLORS.usage, '1,0'],
      [LINE_COLORS['working set'], '1,0'],
      [LINE_COLORS.limit, '6,3'],
    ]);
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
