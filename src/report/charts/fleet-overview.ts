import type { TopLevelSpec } from 'vega-lite';
import type { FleetData, FleetPoint } from './data.js';
import { SEVERITIES } from './data.js';
import { CHART_CONFIG, SEVERITY_COLORS, SEVERITY_SHAPES } from './theme.js';

/**
 * A typical "memory at 90 %" alert. Only a visual guide splitting the chart into the two groups
 * an on-call reader looks for; the findings themselves come from the passes and their options.
 */
export const ALERT_RATIO = 0.9;

/** Points with a name next to them at most; more would bury the chart in text. */
export const MAX_LABELS = 12;

export interface FleetOptions {
  width?: number;
  height?: number;
}

/**
 * Every container as a point: peak usage / limit (x) against peak working set / limit (y).
 * Bottom right: usage near the limit but working set far below, "only looks full" (file cache).
 * Top right: the working set itself near the limit, the real risk. Nothing can be above the
 * diagonal (the working set is part of usage). Each point links to its container.
 */
export function fleetOverviewSpec(data: FleetData, opts: FleetOptions = {}): TopLevelSpec {
  const max = Math.max(1.05, ...data.points.map((p) => Math.max(p.usageRatio, p.workingSetRatio) * 1.05));
  const domain = [0, Math.ceil(max * 20) / 20];
  const x = { field: 'usageRatio', type: 'quantitative' as const, scale: { domain, nice: false } };
  const y = { field: 'workingSetRatio', type: 'quantitative' as const, scale: { domain, nice: false } };
  const labelled = labelsOf(data.points.filter((p) => p.severity !== 'ok')).slice(-MAX_LABELS);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Fleet overview: ${data.points.length} containers, peak usage and peak working set as shares of the limit.`,
    title: {
      text: 'Fleet overview',
      subtitle: `${data.points.length} container${data.points.length === 1 ? '' : 's'}: peak working set against peak usage, as shares of the limit`,
    },
    width: opts.width ?? 560,
    height: opts.height ?? 360,
    config: CHART_CONFIG,
    layer: [
      {
        // The diagonal: working set = usage (no reclaimable file cache at all).
        data: {
          values: [
            { usageRatio: 0, workingSetRatio: 0 },
            { usageRatio: domain[1], workingSetRatio: domain[1] },
          ],
        },
        mark: { type: 'line', stroke: '#999999', strokeDash: [2, 3], strokeWidth: 1 },
        encoding: {
          x: { ...x, title: 'peak usage / limit', axis: { format: '.0%', grid: true } },
          y: { ...y, title: 'peak working set / limit', axis: { format: '.0%', grid: true } },
        },
      },
      {
        data: { values: [{ v: ALERT_RATIO }] },
        mark: { type: 'rule', stroke: '#999999', strokeDash: [6, 4], strokeWidth: 1 },
        encoding: { x: { field: 'v', type: 'quantitative' } },
      },
      {
        data: { values: [{ v: ALERT_RATIO }] },
        mark: { type: 'rule', stroke: '#999999', strokeDash: [6, 4], strokeWidth: 1 },
        encoding: { y: { field: 'v', type: 'quantitative' } },
      },
      {
        data: {
          values: [
            {
              usageRatio: domain[1],
              workingSetRatio: 0.03,
              text: 'only looks full: file cache inflates usage ↓',
            },
          ],
        },
        name: 'region-labels',
        mark: { type: 'text', align: 'right', dx: -4, fontSize: 11, fontStyle: 'italic', fill: '#777777' },
        encoding: { x, y, text: { field: 'text' } },
      },
      {
        // Above the dashed line at its left end: no point can be there (the working set is part
        // of usage, so every point sits on or below the diagonal), so no point label covers it.
        data: { values: [{ usageRatio: 0, workingSetRatio: ALERT_RATIO, text: 'really near the limit ↑' }] },
        name: 'band-label',
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'bottom',
          dx: 4,
          dy: -3,
          fontSize: 11,
          fontStyle: 'italic',
          fill: '#777777',
        },
        encoding: { x, y, text: { field: 'text' } },
      },
      {
        data: { values: data.points },
        name: 'points',
        mark: { type: 'point', filled: true, size: 90, opacity: 0.9, stroke: '#ffffff', strokeWidth: 0.8 },
        encoding: {
          x,
          y,
          color: {
            field: 'severity',
            type: 'nominal',
            title: 'severity',
            scale: { domain: [...SEVERITIES], range: SEVERITIES.map((s) => SEVERITY_COLORS[s]) },
            // Inside the empty triangle above the diagonal, below the band label.
            legend: {
              orient: 'none',
              legendX: 8,
              legendY: Math.round((opts.height ?? 360) * (1 - (ALERT_RATIO - 0.08) / domain[1])),
              fillColor: null,
            },
          },
          shape: {
            field: 'severity',
            type: 'nominal',
            scale: { domain: [...SEVERITIES], range: SEVERITIES.map((s) => SEVERITY_SHAPES[s]) },
          },
          href: { field: 'href' },
          tooltip: [
            { field: 'key', title: 'container' },
            { field: 'verdict' },
            { field: 'usageRatio', title: 'peak usage / limit', format: '.1%' },
            { field: 'workingSetRatio', title: 'peak working set / limit', format: '.1%' },
            { field: 'oomKills', title: 'OOM kills' },
          ],
        },
        params: [{ name: 'zoom', select: { type: 'interval' }, bind: 'scales' }],
      },
      // Names right of their point, or left of it in the right half so they stay inside the chart.
      {
        data: { values: labelled.filter((p) => p.usageRatio <= domain[1] * 0.6) },
        name: 'point-labels-right',
        mark: { type: 'text', align: 'left', dx: 8, dy: -6, fontSize: 10, limit: 200 },
        encoding: { x, y, text: { field: 'label' } },
      },
      {
        data: { values: labelled.filter((p) => p.usageRatio > domain[1] * 0.6) },
        name: 'point-labels-left',
        mark: { type: 'text', align: 'right', dx: -8, dy: -6, fontSize: 10, limit: 200 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}

/**
 * One name per spot: containers within about 2.5 % of each other on both axes would print their
 * names on top of each other, so the spot shows the most severe one's name and "+N".
 */
export function labelsOf(points: readonly FleetPoint[]): (FleetPoint & { label: string })[] {
  const cells = new Map<string, FleetPoint[]>();
  for (const p of points) {
    const cell = `${Math.round(p.usageRatio * 40)}:${Math.round(p.workingSetRatio * 40)}`;
    const list = cells.get(cell) ?? [];
    list.push(p);
    cells.set(cell, list);
  }
  // Points are ordered least to most severe; the last of each spot is its most severe.
  return [...cells.values()].map((list) => {
    const top = list[list.length - 1];
    return { ...top, label: list.length > 1 ? `${top.key} +${list.length - 1}` : top.key };
  });
}
