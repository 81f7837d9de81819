import { iso } from '../../util/time.js';
import type { Dataset, SeriesHint } from '../types.js';
import type { BadKind, SeriesRows } from './collector.js';
import { BadInput, OPAQUE_LABEL, seriesKey, UNNAMED_FIELD } from './collector.js';
import { isKnownField, normaliseSeries } from './normalise.js';
import { pivot } from './pivot.js';
import { formatLabels } from './series-name.js';

/** What one collector (one thread, one byte range) gathered; plain data, sent between threads. */
export interface CollectedPart {
  names: string[];
  labels: Record<string, string>[];
  rows: SeriesRows[];
  bad: [string, BadKind][];
  empty: number;
  /** Line of the first NaN or empty value in this part (0 when none or unknown). */
  emptyLine?: number;
  lines: number;
  facts: Record<string, unknown>;
}

export interface DatasetInfo {
  path: string;
  format: string;
  /** Warnings found outside the row loop (time zone assumed, header oddities…). */
  warnings?: string[];
  details?: Record<string, unknown>;
  node?: string;
}

const MAX_LISTED = 40;

/**
 * Merges the parts of one input and builds its Dataset: names and labels normalised (normalise.ts),
 * one series per identity, samples pivoted into the SampleTable, every bad line or cell counted
 * with the first few quoted as `file:line`.
 */
export function toDataset(parts: CollectedPart[], info: DatasetInfo): Dataset {
  // 1. one registry of raw series over all parts
  const rawIndex = new Map<string, number>();
  const rawNames: string[] = [];
  const rawLabels: Record<string, string>[] = [];
  const bad = new BadInput();
  const segments: SeriesRows[][] = [];
  let empty = 0;
  let emptyLine = 0;
  let lineOffset = 0;
  const facts: Record<string, unknown> = {};
  for (const p of parts) {
    p.names.forEach((name, i) => {
      const key = seriesKey(name, p.labels[i]);
      let id = rawIndex.get(key);
      if (id === undefined) {
        id = rawNames.length;
        rawIndex.set(key, id);
        rawNames.push(name);
        rawLabels.push(p.labels[i]);
        segments.push([]);
      }
      if (p.rows[i].n > 0) segments[id].push(p.rows[i]);
    });
    bad.merge(p.bad, lineOffset);
    if (!emptyLine && p.emptyLine) emptyLine = p.emptyLine + lineOffset;
    lineOffset += p.lines;
    empty += p.empty;
    for (const [k, v] of Object.entries(p.facts))
      facts[k] = typeof v === 'number' && typeof facts[k] === 'number' ? (facts[k] as number) + v : v;
  }
  // 2. raw series → identity and field
  const identityIndex = new Map<string, number>();
  const series: string[] = [];
  const hints: SeriesHint[] = [];
  const fieldIndex = new Map<string, number>();
  const fields: string[] = [];
  const seriesOf = new Int32Array(rawNames.length);
  const fieldOf = new Int32Array(rawNames.length);
  let opaque = 0;
  const opaqueExamples: string[] = [];
  rawNames.forEach((name, r) => {
    const raw = rawLabels[r];
    let key: string;
    let field: string;
    let labels: Record<string, string> | undefined;
    if (raw[OPAQUE_LABEL] !== undefined) {
      key = raw[OPAQUE_LABEL];
      field = UNNAMED_FIELD;
    } else if (!name && Object.keys(raw).length === 0) {
      // No name, no labels (a legend-less single series, sum() of everything): nothing to identify.
      key = UNNAMED_FIELD;
      field = UNNAMED_FIELD;
    } else {
      const n = normaliseSeries(name, raw);
      field = name ? n.field : UNNAMED_FIELD;
      labels = n.labels;
      key = formatLabels(labels);
    }
    let id = identityIndex.get(key);
    if (id === undefined) {
      id = series.length;
      identityIndex.set(key, id);
      series.push(key);
      hints.push(labels ? { labels } : {});
      if (!labels) {
        opaque++;
        if (opaqueExamples.length < 3) opaqueExamples.push(key);
      }
    }
    let f = fieldIndex.get(field);
    if (f === undefined) {
      f = fields.length;
      fieldIndex.set(field, f);
      fields.push(field);
    }
    seriesOf[r] = id;
    fieldOf[r] = f;
  });
  // 3. pivot
  const { table, duplicates, firstDuplicate, samples } = pivot({
    segments,
    seriesOf,
    fieldOf,
    series,
    fields,
  });
  segments.length = 0;
  // 4. words
  const warnings: string[] = [...(info.warnings ?? [])];
  for (const k of bad.kinds.values()) {
    for (const s of k.samples) warnings.push(`${info.path}${s.line ? `:${s.line}` : ''}: ${s.text}`);
    if (k.count > k.samples.length) warnings.push(`… and ${k.count - k.samples.length} more: ${k.summary}`);
  }
  if (opaque > 0) {
    warnings.push(
      `${info.path}: ${opaque} series name${opaque > 1 ? 's' : ''} (e.g. ${opaqueExamples.map((e) => JSON.stringify(e)).join(', ')}) ` +
        `${opaque > 1 ? 'carry' : 'carries'} no metric name or labels; ${opaque > 1 ? 'they were kept as opaque series and are' : 'it was kept as an opaque series and is'} not analysed. ` +
        'Export with the legend left empty (Verbose) so the names read metric{labels}.',
    );
  }
  if (duplicates > 0 && firstDuplicate) {
    const key = series[firstDuplicate.series];
    warnings.push(
      `${info.path}: ${duplicates} sample${duplicates === 1 ? '' : 's'} repeat a series and time read before (first: ${fields[firstDuplicate.field]} ${key.length > 120 ? `${key.slice(0, 120)}…` : key} at ${iso(firstDuplicate.t)}); the value read last was kept. ` +
        'Was the same data exported twice, or did two queries overlap?',
    );
  }
  if (empty > 0) {
    warnings.push(
      `${info.path}${emptyLine ? `:${emptyLine}` : ''}: ${empty === 1 ? 'a sample is' : `${emptyLine ? 'this and ' : ''}${emptyLine ? empty - 1 : empty} more samples are`} NaN or null (Prometheus' "no value": a staleness marker, a division by zero); ${empty === 1 ? 'it counts' : 'they count'} as a gap, not as a number`,
    );
  }
  if (table.length === 0 && bad.total === 0 && opaque === 0) {
    warnings.push(`${info.path}: no samples in this input`);
  }
  const unknown = fields.filter((f) => !isKnownField(f));
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  // Rows are sorted by time within each series: its first and last rows bound it.
  for (let k = 0; k < series.length; k++) {
    const a = table.rowStart[k];
    const b = table.rowStart[k + 1];
    if (a === b) continue;
    if (table.t[a] < tMin) tMin = table.t[a];
    if (table.t[b - 1] > tMax) tMax = table.t[b - 1];
  }
  return {
    kind: 'metrics',
    input: {
      path: info.path,
      format: info.format,
      warnings,
      details: {
        ...info.details,
        ...facts,
        series: series.length,
        samples,
        start: iso(tMin),
        end: iso(tMax),
        metrics: fields.length,
        unknownMetrics:
          unknown.length > MAX_LISTED
            ? [...unknown.slice(0, MAX_LISTED), `… and ${unknown.length - MAX_LISTED} more`]
            : unknown,
        emptySamples: empty,
        badInput: bad.total,
        duplicates,
      },
    },
    table,
    hints,
    ...(info.node ? { node: info.node } : {}),
  };
}
