import type { TopLevelSpec } from 'vega-lite';
import type { AnalysisResult, ContainerSummary } from '../../result.js';
import { compositionSpec } from './composition.js';
import type { CompositionData, FleetData } from './data.js';
import { compositionData, fleetData, SEVERITIES } from './data.js';
import { fleetOverviewSpec } from './fleet-overview.js';
import { takeChartPool } from './pool.js';
import { renderSvg, uniqueIds } from './render.js';

export { uniqueIds };

/** Fleets up to this size get a detail chart for every container; larger ones only for those with findings. */
export const CHART_ALL_UP_TO = 12;
/** Detail charts at most, most severe first: keeps a report of hundreds of containers to a few MB. */
export const MAX_DETAIL_CHARTS = 50;

export interface ChartPlan {
  /** Page-unique id; the chart's figure is `chart-<id>`, its container section `<id>`. */
  id: string;
  kind: 'fleet-overview' | 'composition';
  title: string;
  /** Stem of the PNG file name (`--png`). */
  file: string;
  container?: ContainerSummary;
  composition?: CompositionData;
  fleet?: FleetData;
  /** The spec drawn as static SVG. */
  spec: TopLevelSpec;
  /** The spec the interactive page embeds (adds hover tooltips). */
  interactiveSpec: TopLevelSpec;
}

export interface RenderedChart extends ChartPlan {
  /** The static chart; null when it could not be drawn (then `error` says why). */
  svg: string | null;
  error?: string;
}

export interface ReportLayout {
  /** Containers with a detail section, in report order. */
  detailed: ContainerSummary[];
  /** Containers with findings that did not get a chart because of MAX_DETAIL_CHARTS. */
  uncharted: number;
  anchorOf(c: ContainerSummary): string;
}

/** The section id of a container: the entity index, so no label ever reaches an id or a URL. */
export const sectionId = (c: ContainerSummary) => `c-${c.entity.index}`;

/** Which containers get a detail section, most severe first. */
export function layoutOf(r: AnalysisResult, maxDetail = MAX_DETAIL_CHARTS): ReportLayout {
  const order = [...r.containers].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.entity.key.localeCompare(b.entity.key),
  );
  const candidates =
    r.containers.length <= CHART_ALL_UP_TO ? order : order.filter((c) => c.severity !== 'ok');
  const detailed = candidates.slice(0, maxDetail);
  const ids = new Set(detailed.map((c) => c.entity.index));
  return {
    detailed,
    uncharted: candidates.length - detailed.length,
    anchorOf: (c) => (ids.has(c.entity.index) ? `#${sectionId(c)}` : `#row-${c.entity.index}`),
  };
}

/** Every chart of the report as specs: pure, no rendering. */
export function planCharts(r: AnalysisResult, layout: ReportLayout): ChartPlan[] {
  return [...chartPlans(r, layout)];
}

/**
 * The report's charts one by one, the fleet overview first: the drawing of each can start while
 * the next is planned (shaping a composition's rows takes a few ms of this thread each).
 */
export function* chartPlans(r: AnalysisResult, layout: ReportLayout): Generator<ChartPlan> {
  const data = fleetData(r, layout.anchorOf);
  const fleet = fleetOverviewSpec(data);
  yield {
    id: 'fleet',
    kind: 'fleet-overview',
    title: 'Fleet overview',
    file: 'fleet-overview',
    fleet: data,
    spec: fleet,
    interactiveSpec: fleet,
  };
  for (const c of layout.detailed) {
    const d = compositionData(r, c);
    yield {
      id: sectionId(c),
      kind: 'composition',
      title: c.entity.key,
      file: `container-${c.entity.index}-${c.entity.key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}`,
      container: c,
      composition: d,
      spec: compositionSpec(d, { markAria: false }),
      interactiveSpec: compositionSpec(d, { hover: true }),
    };
  }
}

const rendered = new WeakMap<AnalysisResult, Map<number, Promise<RenderedChart[]>>>();

/**
 * The report's charts rendered to SVG, once per result and layout: the HTML page and `--png`
 * share them.
 */
export function renderCharts(r: AnalysisResult, maxDetail = MAX_DETAIL_CHARTS): Promise<RenderedChart[]> {
  let byMax = rendered.get(r);
  if (!byMax) {
    byMax = new Map();
    rendered.set(r, byMax);
  }
  let p = byMax.get(maxDetail);
  if (!p) {
    const layout = layoutOf(r, maxDetail);
    p = drawAll(chartPlans(r, layout), layout.detailed.length + 1);
    byMax.set(maxDetail, p);
  }
  return p;
}

/**
 * Draws the planned charts: on chart threads when there are enough of them (pool.ts), else one
 * at a time here. Like a pass that throws, a chart that cannot be drawn is reported in its place;
 * the rest of the report still renders.
 */
async function drawAll(plans: Iterable<ChartPlan>, count: number): Promise<RenderedChart[]> {
  const drawable = (plan: ChartPlan) => {
    const d = plan.composition;
    return !d || d.parts.length + d.lines.length > 0;
  };
  const pool = takeChartPool(count);
  const here = async (plan: ChartPlan): Promise<RenderedChart> => {
    try {
      return { ...plan, svg: uniqueIds(await renderSvg(plan.spec), plan.id) };
    } catch (e) {
      return failed(plan, e instanceof Error ? e.message : String(e));
    }
  };
  try {
    if (!pool) {
      const out: RenderedChart[] = [];
      // One at a time: vega's views are CPU-bound, and this keeps memory flat for big fleets.
      for (const plan of plans) out.push(drawable(plan) ? await here(plan) : empty(plan));
      return out;
    }
    const drawn: Promise<RenderedChart>[] = [];
    for (const plan of plans)
      drawn.push(
        (async (): Promise<RenderedChart> => {
          if (!drawable(plan)) return empty(plan);
          try {
            const reply = await pool.draw(plan.spec, plan.id);
            return 'svg' in reply ? { ...plan, svg: reply.svg } : failed(plan, reply.error);
          } catch {
            // The thread died (not the chart): draw it here instead.
            return here(plan);
          }
        })(),
      );
    return await Promise.all(drawn);
  } finally {
    await pool?.close();
  }
}

const empty = (plan: ChartPlan): RenderedChart => ({
  ...plan,
  svg: null,
  error: 'no memory series to draw for this container',
});

const failed = (plan: ChartPlan, message: string): RenderedChart => ({
  ...plan,
  svg: null,
  error: `chart could not be drawn: ${message}`,
});
