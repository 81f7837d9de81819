import type { TopLevelSpec } from 'vega-lite';
import type { CompositionData } from './data.js';
import { CHART_CONFIG, KILL_COLOR, LINE_COLORS, PART_COLORS } from './theme.js';

export interface CompositionOptions {
  width?: number;
  height?: number;
  /** Add a hover rule with the whole composition at the pointer (interactive pages only: it is one mark per sample). */
  hover?: boolean;
}

/** Estimated layers are drawn pale and named "(estimated)" in the legend. */
export const MEASURED_OPACITY = 0.85;
export const ESTIMATED_OPACITY = 0.35;

const colorOf = (field: string, table: Record<string, string>) =>
  table[field.replace(/ \(estimated\)$/, '')] ?? '#999999';

/**
 * One container's memory over time: what usage is made of, stacked (anon, shmem, kernel, active
 * and inactive file cache, as far as known), with usage, working set and the limit as lines and a
 * red rule at each OOM kill (the band before it is the interval the kill happened in).
 */
export function compositionSpec(d: CompositionData, opts: CompositionOptions = {}): TopLevelSpec {
  const x = {
    field: 't',
    type: 'temporal' as const,
    scale: { type: 'utc' as const },
    title: 'time (UTC)',
    axis: { format: '%H:%M:%S', labelOverlap: true as const, grid: false },
  };
  const yTitle = `memory (${d.unit.name})`;
  const partFields = d.parts.map((p) => p.field);
  const lineFields = d.lines.map((l) => l.field);
  const estimated = d.parts.filter((p) => p.estimated).map((p) => p.field);
  const layer: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [];

  if (d.kills.length) {
    layer.push({
      data: { values: d.kills },
      mark: { type: 'rect', fill: KILL_COLOR, opacity: 0.12 },
      encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' } },
    });
  }
  if (partFields.length) {
    layer.push({
      data: { values: d.rows },
      name: 'parts',
      // fold loses the declared order; `order` restores the stack bottom to top.
      transform: [
        { fold: partFields, as: ['part', 'value'] },
        { calculate: `indexof(${JSON.stringify(partFields)}, datum.part)`, as: 'order' },
      ],
      mark: { type: 'area', interpolate: 'step-after' },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: yTitle },
        color: {
          field: 'part',
          type: 'nominal',
          title: 'made of',
          scale: { domain: partFields, range: partFields.map((f) => colorOf(f, PART_COLORS)) },
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
      params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }],
    });
  }
  if (lineFields.length) {
    layer.push({
      data: { values: d.rows },
      name: 'lines',
      transform: [{ fold: lineFields, as: ['line', 'value'] }],
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', stack: null, title: yTitle },
        stroke: {
          field: 'line',
          type: 'nominal',
          title: 'lines',
          scale: { domain: lineFields, range: lineFields.map((f) => colorOf(f, LINE_COLORS)) },
          legend: { orient: 'right' },
        },
        strokeDash: {
          field: 'line',
          type: 'nominal',
          scale: {
            domain: lineFields,
            range: lineFields.map((f) => (f.startsWith('limit') ? [6, 3] : [1, 0])),
          },
        },
      },
      ...(partFields.length
        ? {}
        : { params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }] }),
    } as (typeof layer)[number]);
  }
  if (d.kills.length) {
    layer.push({
      data: {
        values: d.kills.map((k) => ({ ...k, label: k.kills > 1 ? `OOM kill ×${k.kills}` : 'OOM kill' })),
      },
      name: 'oom-kills',
      mark: { type: 'rule', stroke: KILL_COLOR, strokeWidth: 2 },
      encoding: {
        x: { ...x, field: 'to' },
        tooltip: [{ field: 'to', type: 'temporal', title: 'OOM kill seen at', format: '%Y-%m-%d %H:%M:%S' }],
      },
    });
    layer.push({
      data: {
        values: d.kills.map((k) => ({ ...k, label: k.kills > 1 ? `OOM kill ×${k.kills}` : 'OOM kill' })),
      },
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
      data: { values: d.rows },
      mark: { type: 'rule', stroke: '#888888', strokeWidth: 6 },
      encoding: {
        x,
        opacity: { condition: { param: 'hover', empty: false, value: 0.3 }, value: 0 },
        tooltip: [
          { field: 't', type: 'temporal', title: 'time (UTC)', format: '%Y-%m-%d %H:%M:%S' },
          ...[...lineFields, ...partFields].map((f) => ({
            field: f,
            type: 'quantitative' as const,
            title: `${f} (${d.unit.name})`,
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
    width: opts.width ?? 620,
    height: opts.height ?? 220,
    config: CHART_CONFIG,
    resolve: { scale: { y: 'shared' } },
    layer,
  };
}
