import type { TopLevelSpec } from 'vega-lite';
import type { CompositionData, SeriesDef } from './data.js';
import { CHART_CONFIG, KILL_COLOR, LINE_COLORS, PART_COLORS } from './theme.js';

export interface CompositionOptions {
  width?: number;
  height?: number;
  /** Add a hover rule with the whole composition at the pointer (interactive pages only: it is one mark per sample). */
  hover?: boolean;
  /**
   * ARIA attributes on the area and line marks (vega's default). vega describes every sample of
   * them ("time (UTC): 22:13:20; memory (MiB): 119.206; made of: anon") and the SVG keeps the
   * first sample's only: a label that says nothing about the series. The static figure's accessible
   * name is its role="img" label, which also makes what is inside it presentational; describing
   * 2,400 samples nobody can read was 40 % of drawing a chart. The static SVG turns it off.
   */
  markAria?: boolean;
}

/** Estimated layers are drawn pale and named "(estimated)" in the legend. */
export const MEASURED_OPACITY = 0.85;
export const ESTIMATED_OPACITY = 0.35;

/**
 * Up to this many samples each is drawn as a step (a snapshot holds until the next one); denser
 * series as straight segments, which look the same at that density and halve the SVG.
 */
export const STEP_MAX_POINTS = 120;

const colorOf = (s: SeriesDef, table: Record<string, string>) =>
  table[s.label.replace(/ \(estimated\)$/, '')] ?? '#999999';

/** Fields the spec adds to each row: where a part's band starts and ends in the stack. */
export const stackLow = (column: string) => `stack_lo_${column}`;
export const stackHigh = (column: string) => `stack_hi_${column}`;

/**
 * The stack, computed on the rows by vega: each part's band starts where the known parts below it
 * end, and is unknown (no band there) where the part is. One layer per part and per line, with a
 * constant colour, draws the same picture as a fold, a stack and a colour split of every sample
 * into its own tuple, for half of vega's work (7 ms a chart against 14 with 300 samples).
 */
function stackTransforms(parts: SeriesDef[]): { calculate: string; as: string }[] {
  const out: { calculate: string; as: string }[] = [];
  let below = '0';
  for (const p of parts) {
    out.push({ calculate: below, as: stackLow(p.column) });
    out.push({
      calculate: `datum.${p.column} == null ? null : datum.${stackLow(p.column)} + datum.${p.column}`,
      as: stackHigh(p.column),
    });
    below = `datum.${stackLow(p.column)} + (datum.${p.column} || 0)`;
  }
  return out;
}

/**
 * One container's memory over time: what usage is made of, stacked (anon, shmem, kernel, active
 * and inactive file cache, as far as known), with usage, working set and the limit as lines and a
 * red rule at each OOM kill (the band before it is the interval the kill happened in).
 */
export function compositionSpec(d: CompositionData, opts: CompositionOptions = {}): TopLevelSpec {
  const interpolate = d.rows.length > STEP_MAX_POINTS ? ('linear' as const) : ('step-after' as const);
  const x = {
    field: 't',
    type: 'temporal' as const,
    scale: { type: 'utc' as const },
    title: 'time (UTC)',
    axis: { format: '%H:%M:%S', labelOverlap: true as const, grid: false },
  };
  const yTitle = `memory (${d.unit.name})`;
  const aria = opts.markAria === false ? { aria: false } : {};
  const partLabels = d.parts.map((p) => p.label);
  const lineLabels = d.lines.map((l) => l.label);
  const dashed = d.lines.filter((l) => l.column === 'limit').map((l) => l.label);
  const zoom = [
    {
      name: 'zoom',
      select: { type: 'interval' as const, encodings: ['x' as const] },
      bind: 'scales' as const,
    },
  ];
  const layer: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [];

  if (d.kills.length) {
    layer.push({
      data: { values: d.kills },
      mark: { type: 'rect', fill: KILL_COLOR, opacity: 0.12 },
      encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' } },
    });
  }
  d.parts.forEach((p, i) => {
    layer.push({
      name: `parts-${p.column}`,
      mark: {
        type: 'area',
        interpolate,
        opacity: p.estimated ? ESTIMATED_OPACITY : MEASURED_OPACITY,
        ...aria,
      },
      encoding: {
        x,
        y: { field: stackHigh(p.column), type: 'quantitative', title: yTitle },
        y2: { field: stackLow(p.column) },
        color: {
          datum: p.label,
          type: 'nominal',
          title: 'made of',
          scale: { domain: partLabels, range: d.parts.map((q) => colorOf(q, PART_COLORS)) },
          legend: { orient: 'right' },
        },
      },
      ...(i === 0 ? { params: zoom } : {}),
    });
  });
  d.lines.forEach((l, i) => {
    layer.push({
      name: `lines-${l.column}`,
      mark: { type: 'line', interpolate, strokeWidth: 1.6, ...aria },
      encoding: {
        x,
        y: { field: l.column, type: 'quantitative', title: yTitle },
        stroke: {
          datum: l.label,
          type: 'nominal',
          title: 'lines',
          scale: { domain: lineLabels, range: d.lines.map((m) => colorOf(m, LINE_COLORS)) },
          // The limit's dash in the legend too (a datum's dash gets no legend of its own to merge).
          legend: {
            orient: 'right',
            encoding: {
              symbols: {
                strokeDash: {
                  condition: { test: `indexof(${JSON.stringify(dashed)}, datum.value) >= 0`, value: [6, 3] },
                  value: [1, 0],
                },
              },
            },
          },
        },
        strokeDash: { value: l.column === 'limit' ? [6, 3] : [1, 0] },
      },
      ...(i === 0 && !d.parts.length ? { params: zoom } : {}),
    });
  });
  if (d.kills.length) {
    const kills = d.kills.map((k) => ({ ...k, label: k.kills > 1 ? `OOM kill ×${k.kills}` : 'OOM kill' }));
    layer.push({
      data: { values: kills },
      name: 'oom-kills',
      mark: { type: 'rule', stroke: KILL_COLOR, strokeWidth: 2 },
      encoding: {
        x: { ...x, field: 'to' },
        tooltip: [{ field: 'to', type: 'temporal', title: 'OOM kill seen at', format: '%Y-%m-%d %H:%M:%S' }],
      },
    });
    layer.push({
      data: { values: kills },
      name: 'oom-kill-labels',
      // Along the rule, reading downwards from the top: clear of the limit line and of other kills.
      mark: {
        type: 'text',
        angle: 90,
        align: 'left',
        baseline: 'top',
        dx: 4,
        dy: 3,
        y: 0,
        fontSize: 10,
        fill: KILL_COLOR,
      },
      encoding: { x: { ...x, field: 'to' }, text: { field: 'label' } },
    });
  }
  if (opts.hover && d.rows.length) {
    layer.push({
      name: 'hover',
      mark: { type: 'rule', stroke: '#888888', strokeWidth: 6 },
      encoding: {
        x,
        opacity: { condition: { param: 'hover', empty: false, value: 0.3 }, value: 0 },
        tooltip: [
          { field: 't', type: 'temporal', title: 'time (UTC)', format: '%Y-%m-%d %H:%M:%S' },
          ...[...d.lines, ...d.parts].map((s) => ({
            field: s.column,
            type: 'quantitative' as const,
            title: `${s.label} (${d.unit.name})`,
            format: ',.1f',
          })),
        ],
      },
      params: [
        {
          name: 'hover',
          select: { type: 'point', fields: ['t'], nearest: true, on: 'pointerover', clear: 'pointerout' },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Memory composition of ${d.key} over time, in ${d.unit.name}.`,
    // The key in the chart itself: a PNG pasted into a ticket has no heading around it.
    title: {
      text: d.key,
      subtitle: `memory composition over time (${d.unit.name})`,
      limit: 600,
    },
    width: opts.width ?? 620,
    height: opts.height ?? 220,
    config: CHART_CONFIG,
    // The samples once, shared by the layers that draw them; the kill layers bring their own.
    data: { values: d.rows },
    ...(d.parts.length ? { transform: stackTransforms(d.parts) } : {}),
    layer,
  };
}
