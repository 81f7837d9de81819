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

/** A vega expression mapping a column name to its label (fold yields column names). */
const labelExpr = (defs: SeriesDef[], field: string) =>
  `${JSON.stringify(Object.fromEntries(defs.map((d) => [d.column, d.label])))}[datum.${field}]`;

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
  const estimated = d.parts.filter((p) => p.estimated).map((p) => p.label);
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
  if (d.parts.length) {
    layer.push({
      name: 'parts',
      transform: [
        { fold: d.parts.map((p) => p.column), as: ['column', 'value'] },
        { calculate: labelExpr(d.parts, 'column'), as: 'part' },
        // fold loses the declared order; `order` restores the stack bottom to top.
        { calculate: `indexof(${JSON.stringify(d.parts.map((p) => p.column))}, datum.column)`, as: 'order' },
      ],
      mark: { type: 'area', interpolate, ...aria },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: yTitle },
        color: {
          field: 'part',
          type: 'nominal',
          title: 'made of',
          scale: { domain: partLabels, range: d.parts.map((p) => colorOf(p, PART_COLORS)) },
          legend: { orient: 'right' },
        },
        order: { field: 'order', type: 'quantitative' },
        opacity: estimated.length
          ? {
              condition: { test: { field: 'part', oneOf: estimated }, value: ESTIMATED_OPACITY },
              value: MEASURED_OPACITY,
            }
          : { value: MEASURED_OPACITY },
      },
      params: zoom,
    });
  }
  if (d.lines.length) {
    layer.push({
      name: 'lines',
      transform: [
        { fold: d.lines.map((l) => l.column), as: ['column', 'value'] },
        { calculate: labelExpr(d.lines, 'column'), as: 'line' },
      ],
      mark: { type: 'line', interpolate, strokeWidth: 1.6, ...aria },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', stack: null, title: yTitle },
        stroke: {
          field: 'line',
          type: 'nominal',
          title: 'lines',
          scale: { domain: lineLabels, range: d.lines.map((l) => colorOf(l, LINE_COLORS)) },
          legend: { orient: 'right' },
        },
        strokeDash: {
          field: 'line',
          type: 'nominal',
          scale: { domain: lineLabels, range: d.lines.map((l) => (l.column === 'limit' ? [6, 3] : [1, 0])) },
        },
      },
      ...(d.parts.length ? {} : { params: zoom }),
    });
  }
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
    layer,
  };
}
