import type { Config } from 'vega-lite';

/**
 * Colours and fonts every chart shares. Colours are mid-tone so they read on the light and the
 * dark page alike; axis and legend text is re-coloured by the page's CSS in dark mode.
 */
export const SEVERITY_COLORS = {
  critical: '#d62728',
  warning: '#e07b00',
  info: '#3b78c2',
  ok: '#5a9e4b',
} as const;

export const SEVERITY_SHAPES = {
  critical: 'diamond',
  warning: 'triangle-up',
  info: 'square',
  ok: 'circle',
} as const;

/** Composition layers, anon warm (not reclaimable) to inactive file cool (reclaimed first). */
export const PART_COLORS: Record<string, string> = {
  anon: '#c0504d',
  'shmem/tmpfs': '#8064a2',
  kernel: '#7f7f7f',
  'active file': '#4bacc6',
  'inactive file': '#9bd3e3',
};

export const LINE_COLORS: Record<string, string> = {
  usage: '#333333',
  'working set': '#e07b00',
  limit: '#d62728',
};

export const KILL_COLOR = '#d62728';

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

export const CHART_CONFIG: Config = {
  // Transparent: the page (light, dark or paper) shows through.
  background: 'transparent',
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridOpacity: 0.6 },
  // Legend labels are memlens's own words (layer and line names): never cut them.
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 0 },
  title: { fontSize: 13, anchor: 'start', fontWeight: 'bold' },
};
