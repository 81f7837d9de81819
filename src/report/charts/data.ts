import type { MetricName, Provenance } from '../../model/metrics.js';
import { seriesOf } from '../../model/model.js';
import type { AnalysisResult, ContainerSummary } from '../../result.js';
import { killsText } from '../kills.js';
import type { ByteUnit } from './units.js';
import { byteUnitFor, inUnit } from './units.js';

/**
 * Shapes the analysis result into the plain rows the chart specs draw. Nothing here judges:
 * values are the model's, only resampled for display and converted to a readable unit.
 */

/** Severity order of the report (most severe first); also the legend order. */
export const SEVERITIES = ['critical', 'warning', 'info', 'ok'] as const;

/** One container on the fleet overview. */
export interface FleetPoint {
  key: string;
  /** In-page link target of the container's section or table row ("#c-3"). */
  href: string;
  severity: (typeof SEVERITIES)[number];
  verdict: string;
  usageRatio: number;
  workingSetRatio: number;
  usageBytes: number;
  workingSetBytes: number;
  limitBytes: number;
  /** Tooltip text: counted kills, "?" when unknown, possible ones beside them. */
  oomKills: string;
}

export interface FleetData {
  points: FleetPoint[];
  /** Containers that cannot be placed: no limit, or no usage / working set. */
  unplaced: number;
}

export function fleetData(r: AnalysisResult, hrefOf: (c: ContainerSummary) => string): FleetData {
  const points: FleetPoint[] = [];
  let unplaced = 0;
  for (const c of r.containers) {
    const { usageBytes, workingSetBytes } = c.peak;
    if (c.limitBytes === null || c.limitBytes <= 0 || usageBytes === null || workingSetBytes === null) {
      unplaced++;
      continue;
    }
    points.push({
      key: c.entity.key,
      href: hrefOf(c),
      severity: c.severity,
      verdict: c.verdict ?? 'ok',
      usageRatio: round(usageBytes / c.limitBytes, 4),
      workingSetRatio: round(workingSetBytes / c.limitBytes, 4),
      usageBytes,
      workingSetBytes,
      limitBytes: c.limitBytes,
      oomKills: killsText(c),
    });
  }
  // Most severe drawn last, on top.
  points.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
  return { points, unplaced };
}

/** A layer of the composition stack or a reference line: which column, under which name. */
export interface SeriesDef {
  /** Field of the wide rows (short: it repeats in every row of an interactive page's data). */
  column: MetricName;
  /** Legend label; ends in " (estimated)" for estimated columns. */
  label: string;
  estimated: boolean;
}

/**
 * The stack, bottom to top. rss excludes shmem and cache includes it, and active + inactive file
 * is cache without shmem, so the layers do not overlap: anon + shmem + kernel + active file is
 * (about) the working set, and inactive file on top of it reaches usage.
 */
export const PARTS: readonly { column: MetricName; label: string }[] = [
  { column: 'rss', label: 'anon' },
  { column: 'shmem', label: 'shmem/tmpfs' },
  { column: 'kernel', label: 'kernel' },
  { column: 'activeFile', label: 'active file' },
  { column: 'inactiveFile', label: 'inactive file' },
];

export const LINES: readonly { column: MetricName; label: string }[] = [
  { column: 'usage', label: 'usage' },
  { column: 'workingSet', label: 'working set' },
  { column: 'limit', label: 'limit' },
];

export const ESTIMATED_SUFFIX = ' (estimated)';

export interface KillMark {
  from: number;
  to: number;
  kills: number;
}

export interface CompositionData {
  key: string;
  unit: ByteUnit;
  /** One row per kept sample: `t` (epoch ms) and one field per part and line, in `unit`; null = unknown. */
  rows: Record<string, number | null>[];
  parts: SeriesDef[];
  lines: SeriesDef[];
  kills: KillMark[];
  /** Samples in the window and samples drawn. */
  samples: number;
  drawn: number;
}

/**
 * Most samples a detail chart draws: about one per 2 px of a 620 px chart. Longer series keep
 * each bucket's lowest and highest usage, so spikes and dips survive.
 */
export const MAX_POINTS = 300;

export function compositionData(
  r: AnalysisResult,
  c: ContainerSummary,
  maxPoints = MAX_POINTS,
): CompositionData {
  const s = seriesOf(r.model, c.entity);
  const prov = c.entity.provenance;
  const def = (d: { column: MetricName; label: string }): SeriesDef | undefined => {
    const p: Provenance | undefined = prov[d.column];
    if (!p || !s.col(d.column)) return undefined;
    const estimated = p === 'estimated';
    return { column: d.column, label: d.label + (estimated ? ESTIMATED_SUFFIX : ''), estimated };
  };
  const parts = PARTS.map(def).filter((d) => d !== undefined);
  const lines = LINES.map(def).filter((d) => d !== undefined);

  const kills: KillMark[] = r.findings
    .filter((f) => f.entity === c.entity && f.code === 'oom-kill/killed')
    .map((f) => ({ from: f.from, to: f.to, kills: f.evidence.kills ?? 1 }));

  const keep = new Set<number>();
  for (const k of kills) {
    const a = s.t.indexOf(k.from);
    const b = s.t.indexOf(k.to);
    if (a >= 0) keep.add(a);
    if (b >= 0) keep.add(b);
  }
  const picked = pickRows(s.t, s.col('usage') ?? s.col('workingSet'), maxPoints, keep);

  let max = 0;
  for (const d of [...parts, ...lines]) {
    const col = s.col(d.column)!;
    for (const i of picked) if (Number.isFinite(col[i]) && col[i] > max) max = col[i];
  }
  const unit = byteUnitFor(max);
  const rows = picked.map((i) => {
    const row: Record<string, number | null> = { t: s.t[i] };
    for (const d of [...parts, ...lines]) {
      const v = s.col(d.column)![i];
      // Unknown stays unknown; an infinite limit is "no limit", which has no line.
      row[d.column] = Number.isFinite(v) ? inUnit(v, unit) : null;
    }
    return row;
  });
  const limit = lines.find((l) => l.column === 'limit');
  const linesShown =
    limit && rows.every((row) => row[limit.column] === null) ? lines.filter((l) => l !== limit) : lines;
  return {
    key: c.entity.key,
    unit,
    rows,
    parts,
    lines: linesShown,
    kills,
    samples: s.length,
    drawn: rows.length,
  };
}

/**
 * Indices to draw, in time order: all of them when they fit, else for each bucket the samples
 * of lowest and highest `by` (so peaks and dips survive), plus the samples in `keep`.
 */
export function pickRows(
  t: ArrayLike<number>,
  by: ArrayLike<number> | undefined,
  max: number,
  keep: Set<number>,
): number[] {
  const n = t.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>(keep);
  const buckets = Math.max(1, Math.floor((max - keep.size) / 2));
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const a = Math.floor(b * size);
    const e = Math.min(n, Math.floor((b + 1) * size));
    if (a >= e) continue;
    let lo = a;
    let hi = a;
    if (by)
      for (let i = a; i < e; i++) {
        if (Number.isNaN(by[i])) continue;
        if (Number.isNaN(by[lo]) || by[i] < by[lo]) lo = i;
        if (Number.isNaN(by[hi]) || by[i] > by[hi]) hi = i;
      }
    out.add(lo);
    out.add(hi);
  }
  out.add(0);
  out.add(n - 1);
  return [...out].sort((x, y) => x - y);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
