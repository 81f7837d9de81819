import type { CsvDialect } from '../text/csv.js';
import { delimiterHint, RecordTooLongError, scanCsv } from '../text/csv.js';
import { parseNumber } from '../text/number.js';
import type { ParsedTime } from '../text/time.js';
import { parseTimeBytes, readingsOf } from '../text/time.js';
import type { Collector } from './collector.js';
import { OPAQUE_LABEL } from './collector.js';
import { parseFormattedValue } from './formatted-value.js';
import type { Escaping } from './series-name.js';
import { readSeriesName } from './series-name.js';

/**
 * Wide CSV: a time column, then one column per series (Grafana "Download CSV", joined by time or
 * a single frame; legacy "series as columns"). The header names the series; an empty cell means
 * the series has no sample at that time.
 */
export async function parseWideBody(
  chunks: AsyncIterable<Buffer>,
  dialect: CsvDialect,
  preamble: number,
  tz: string | undefined,
  out: Collector,
): Promise<{ header: string[]; duplicates: string[]; rows: number }> {
  let header: string[] = [];
  let idOf: ((c: number) => number) | null = null;
  const duplicates: string[] = [];
  let skip = preamble;
  let wall = 0;
  let previous = Number.NEGATIVE_INFINITY;
  let formatted = 0;
  const tp: ParsedTime = { ms: 0, kind: 'epoch' };
  let lines = 0;
  let rows = 0;
  const scan = scanCsv(chunks, dialect, (rec) => {
    lines = rec.line;
    if (skip > 0) {
      skip--;
      return;
    }
    if (idOf === null) {
      header = rec.texts();
      // Grafana 6–7 legacy exports (`;`) write label values as they are; later ones mostly Go-quote them.
      idOf = columnIds(header, out, duplicates, dialect.delimiter === 59 ? 'none' : 'grafana');
      return;
    }
    // Grafana writes every column of every row (an empty cell for a gap): a shorter row is a file
    // cut inside it, and its last cell may be a number cut short (a limit of 50331648 read as 5).
    if (rec.n !== header.length) {
      out.bad.add(
        'width',
        rec.line,
        `${rec.n} fields where the header has ${header.length}${rec.n < header.length ? ' (a row cut short?)' : ''}${delimiterHint(rec, header.length)}; row skipped: ${rec.raw()}`,
        'rows with another number of fields than the header were skipped',
      );
      return;
    }
    rows++;
    if (!parseTimeBytes(rec.buf, rec.start[0], rec.end[0], tz, tp)) {
      out.bad.add(
        'time',
        rec.line,
        `"${rec.text(0).slice(0, 60)}" is not a time; row skipped`,
        'rows whose time could not be read were skipped',
      );
      return;
    }
    if (tp.kind === 'wall') {
      wall++;
      // Rows come in time order: in the hour a DST change repeats, the same wall time is first the
      // earlier instant, then the later one.
      if (tz) tp.ms = readingsOf(tp.ms, tz).find((u) => u >= previous) ?? tp.ms;
    }
    previous = tp.ms;
    for (let c = 1; c < rec.n; c++) {
      if (rec.end[c] === rec.start[c]) continue;
      let v = parseNumber(rec.buf, rec.start[c], rec.end[c]);
      if (v === undefined) {
        v = parseFormattedValue(rec.text(c));
        if (v !== undefined) formatted++;
      }
      if (v === undefined) {
        out.bad.add(
          'value',
          rec.line,
          `column ${c + 1} (${cut(header[c], 80)}): ${cut(rec.text(c), 40)} is not a number; cell skipped`,
          'cells that are not numbers were skipped',
        );
        continue;
      }
      out.take(idOf(c), tp.ms, v, rec.line);
    }
  });
  try {
    lines = await scan;
  } catch (e) {
    if (!(e instanceof RecordTooLongError)) throw e;
    // What was read before the monster line is kept.
    out.bad.add('too-long', e.line, e.message, 'lines too long to read');
  }
  out.lines += lines;
  if (wall) out.facts.wallTimes = wall;
  if (formatted) out.facts.formattedValues = formatted;
  return { header, duplicates, rows };
}

/**
 * The raw series of each value column, registered when the column's first value is read: a
 * header of a million empty columns (damage, or a hostile file) costs an array, not a million
 * series. Repeated opaque headers stay apart as `name #2`.
 */
function columnIds(
  header: string[],
  out: Collector,
  duplicates: string[],
  escaping: Escaping,
): (c: number) => number {
  const nth = new Int32Array(header.length);
  const seen = new Map<string, number>();
  for (let c = 1; c < header.length; c++) {
    const text = header[c];
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    nth[c] = n;
    if (n === 2) duplicates.push(text);
  }
  const ids = new Int32Array(header.length).fill(-1);
  return (c) => {
    if (ids[c] >= 0) return ids[c];
    const text = header[c];
    const parsed = readSeriesName(text, escaping);
    // A bare metric name repeated (legend {{__name__}} over several pods) names different series.
    const named = parsed && (Object.keys(parsed.labels).length > 0 || seen.get(text) === 1);
    ids[c] = named
      ? out.series(parsed.name, parsed.labels)
      : out.series('', { [OPAQUE_LABEL]: nth[c] > 1 ? `${text} #${nth[c]}` : text });
    return ids[c];
  };
}

function cut(s: string, n: number): string {
  return JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);
}
