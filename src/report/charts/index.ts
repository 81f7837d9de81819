import type { TopLevelSpec } from 'vega-lite';
import type { AnalysisResult, ContainerSummary } from '../../result.js';
import { compositionSpec } from './composition.js';
import type { CompositionData, FleetData } from './data.js';
import { compositionData, fleetData, SEVERITIES } from './data.js';
import { fleetOverviewSpec } from './fleet-overview.js';
import { renderSvg } from './render.js';

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
  const data = fleetData(r, layout.anchorOf);
  const fleet = fleetOverviewSpec(data);
  const plans: ChartPlan[] = [
    {
      id: 'fleet',
      kind: 'fleet-overview',
      title: 'Fleet overview',
      file: 'fleet-overview',
      fleet: data,
      spec: fleet,
      interactiveSpec: fleet,
    },
  ];
  for (const c of layout.detailed) {
    const d = compositionData(r, c);
    plans.push({
      id: sectionId(c),
      kind: 'composition',
      title: c.entity.key,
      file: `container-${c.entity.index}-${c.entity.key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}`,
      container: c,
      composition: d,
      spec: compositionSpec(d),
      interactiveSpec: compositionSpec(d, { hover: true }),
    });
  }
  return plans;
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
    p = (async () => {
      const out: RenderedChart[] = [];
      // One at a time: vega's views are CPU-bound, and this keeps memory flat for big fleets.
      for (const plan of planCharts(r, layoutOf(r, maxDetail))) {
        const d = plan.composition;
        if (d && d.parts.length + d.lines.length === 0) {
          out.push({ ...plan, svg: null, error: 'no memory series to draw for this container' });
          continue;
        }
        // Like a pass that throws, a chart that cannot be drawn is reported in its place; the
        // rest of the report still renders.
        try {
          out.push({ ...plan, svg: uniqueIds(await renderSvg(plan.spec), plan.id) });
        } catch (e) {
          out.push({
            ...plan,
            svg: null,
            error: `chart could not be drawn: ${e instanceof Error ? e.message : String(e)}`,
          });
        }
      }
      return out;
    })();
    byMax.set(maxDetail, p);
  }
  return p;
}

/**
 * Vega numbers clip paths per process (`clip3`); many SVGs inline in one page, plus the live
 * views of the interactive page, need ids that cannot collide: prefix each with the chart id.
 */
export function uniqueIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  if (ids.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) =>
    ids.has(id) ? `${lead}${prefix}-${id}` : all,
  );
}
