import type { CsvDialect, CsvRecord } from '../text/csv.js';
import { scanCsv } from '../text/csv.js';
import { ByteInterner } from '../text/interner.js';
import { parseNumber } from '../text/number.js';
import type { ParsedTime } from '../text/time.js';
import { parseTimeBytes } from '../text/time.js';
import type { Collector } from './collector.js';
import { OPAQUE_LABEL } from './collector.js';
import { readSeriesName } from './series-name.js';

/**
 * Long CSV: one sample per row, with a time column, a value column, and the series spread over a
 * name column and label columns (query_csv.py, promql-cli, pandas to_csv, VictoriaMetrics
 * export/csv, Grafana's legacy "series as rows"). The layout says which column is what; it is
 * plain data so a worker thread can parse a byte range of the same file with it.
 */
export interface LongLayout {
  dialect: CsvDialect;
  /** Cells per row. */
  width: number;
  time: number;
  value: number;
  /** Column of the metric name, or -1. */
  name: number;
  /** Column holding a whole series name `metric{labels}` (Grafana legacy "Series"), or -1. */
  seriesName: number;
  /** Label columns and their label names. */
  labels: { col: number; key: string }[];
  tz?: string;
}

const TIME_RE = /^(timestamp|time|ts|date|datetime|__timestamp__(:.*)?)$/i;
const VALUE_RE = /^(value|__value__|val)$/i;
const NAME_RE = /^(__name__|name|metric_name|metric)$/;
const SERIES_RE = /^series$/i;

/** Column roles from a header; null when there is no time or no value column. */
export function longLayoutFromHeader(header: string[], dialect: CsvDialect, tz?: string): LongLayout | null {
  let time = -1;
  let value = -1;
  let name = -1;
  let seriesName = -1;
  const labels: { col: number; key: string }[] = [];
  header.forEach((raw, col) => {
    const h = raw.trim();
    if (time < 0 && TIME_RE.test(h)) time = col;
    else if (value < 0 && VALUE_RE.test(h)) value = col;
    else if (name < 0 && NAME_RE.test(h)) name = col;
    else if (seriesName < 0 && SERIES_RE.test(h)) seriesName = col;
    // pandas writes an unnamed index column ('' or 'Unnamed: 0'): not a label.
    else if (h !== '' && !/^Unnamed: \d+$/.test(h)) labels.push({ col, key: h });
  });
  if (time < 0 || value < 0) return null;
  return { dialect, width: header.length, time, value, name, seriesName, labels, tz };
}

/**
 * Parses records of a long CSV body into the collector. `firstLine` is the file line of the first
 * record given (for warnings). Resolves to the number of lines read.
 */
export async function parseLongBody(
  chunks: AsyncIterable<Buffer>,
  layout: LongLayout,
  out: Collector,
  firstLine: number,
  skipRecords = 0,
): Promise<number> {
  const onRecord = longRowHandler(layout, out);
  let skip = skipRecords;
  const lines = await scanCsv(
    chunks,
    layout.dialect,
    (rec) => {
      if (skip > 0) {
        skip--;
        return;
      }
      onRecord(rec);
    },
    firstLine,
  );
  out.lines += lines;
  return lines;
}

/** The per-row function: bytes → (series id, t, v), with interning on the key cells' bytes. */
export function longRowHandler(layout: LongLayout, out: Collector): (rec: CsvRecord) => void {
  const keyCols = [layout.name, layout.seriesName, ...layout.labels.map((l) => l.col)]
    .filter((c) => c >= 0)
    .sort((a, b) => a - b);
  // Contiguous runs of key columns: each run is one byte span of the row.
  const runs: [number, number][] = [];
  for (const c of keyCols) {
    const last = runs.at(-1);
    if (last && last[1] === c - 1) last[1] = c;
    else runs.push([c, c]);
  }
  const spans = new Int32Array(Math.max(2, runs.length * 2));
  const interner = new ByteInterner();
  const idOf: number[] = [];
  const tp: ParsedTime = { ms: 0, kind: 'epoch' };
  const { width, time, value, tz } = layout;
  let wall = 0;
  return (rec: CsvRecord) => {
    if (rec.n !== width) {
      out.bad.add(
        'width',
        rec.line,
        `${rec.n} fields where the header has ${width}: ${rec.raw()}`,
        'rows with the wrong number of fields were skipped',
      );
      return;
    }
    const buf = rec.buf;
    if (!parseTimeBytes(buf, rec.start[time], rec.end[time], tz, tp)) {
      out.bad.add(
        'time',
        rec.line,
        `"${rec.text(time).slice(0, 60)}" is not a timestamp; row skipped`,
        'rows whose timestamp could not be read were skipped',
      );
      return;
    }
    if (tp.kind === 'wall') wall++;
    const v = parseNumber(buf, rec.start[value], rec.end[value]);
    if (v === undefined) {
      out.bad.add(
        'value',
        rec.line,
        `"${rec.text(value).slice(0, 60)}" is not a number; sample skipped`,
        'values that are not numbers were skipped',
      );
      return;
    }
    for (let k = 0; k < runs.length; k++) {
      const a = runs[k][0];
      const b = runs[k][1];
      spans[2 * k] = rec.start[a] - (rec.flags[a] & 1);
      spans[2 * k + 1] = rec.end[b] + (rec.flags[b] & 1);
    }
    let id = interner.find(buf, spans, runs.length);
    if (id < 0) {
      interner.add(buf, spans, runs.length);
      id = register(rec);
      idOf.push(id);
    } else id = idOf[id];
    out.add(id, tp.ms, v);
    if (wall) out.facts.wallTimes = wall;
  };

  function register(rec: CsvRecord): number {
    const labels: Record<string, string> = {};
    let name = layout.name >= 0 ? rec.text(layout.name) : '';
    if (layout.seriesName >= 0) {
      const text = rec.text(layout.seriesName);
      const parsed = readSeriesName(text);
      if (parsed) {
        name = parsed.name;
        Object.assign(labels, parsed.labels);
      } else labels[OPAQUE_LABEL] = text;
    }
    for (const l of layout.labels) {
      const v = rec.text(l.col);
      // An empty label is no label, in Prometheus as in promql-cli's empty cells.
      if (v !== '') labels[l.key] = v;
    }
    if (labels.__name__ !== undefined) {
      name ||= labels.__name__;
      delete labels.__name__;
    }
    return out.series(name, labels);
  }
}
