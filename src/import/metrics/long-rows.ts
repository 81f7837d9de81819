import type { CsvDialect } from '../text/csv.js';
import {
  CsvRecord,
  delimiterHint,
  LONG_RECORD,
  MAX_RECORD_BYTES,
  RecordTooLongError,
  scanCsv,
} from '../text/csv.js';
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
  let several = false;
  const labels: { col: number; key: string }[] = [];
  // prom2csv writes its row id (by default __name__) in a first column headed `id`, then the sorted
  // labels, where cAdvisor's own `id` (the cgroup path) follows as a second `id`.
  if (
    header.length > 2 &&
    header[0].trim() === 'id' &&
    TIME_RE.test(header[1].trim()) &&
    VALUE_RE.test(header[2].trim())
  )
    name = 0;
  header.forEach((raw, col) => {
    const h = raw.trim();
    if (col === name) return;
    if (time < 0 && TIME_RE.test(h)) time = col;
    else if (VALUE_RE.test(h) && value >= 0) several = true;
    else if (value < 0 && VALUE_RE.test(h)) value = col;
    else if (name < 0 && NAME_RE.test(h)) name = col;
    else if (seriesName < 0 && SERIES_RE.test(h)) seriesName = col;
    // pandas writes an unnamed index column ('' or 'Unnamed: 0'): not a label.
    else if (h !== '' && !/^Unnamed: \d+$/.test(h)) labels.push({ col, key: h });
  });
  // Several value columns are a wide frame (Grafana names unnamed series `Value`, `Value`, …).
  if (time < 0 || value < 0 || several) return null;
  return { dialect, width: header.length, time, value, name, seriesName, labels, tz };
}

/**
 * Parses records of a long CSV body into the collector. `firstLine` is the file line of the first
 * record given (for warnings). Resolves to the number of lines read. The chunks may be one buffer
 * refilled (a worker's reads): nothing keeps a chunk once the next one is asked for.
 */
export async function parseLongBody(
  chunks: AsyncIterable<Buffer>,
  layout: LongLayout,
  out: Collector,
  firstLine: number,
  skipRecords = 0,
): Promise<number> {
  const handler = longRowHandler(layout, out);
  let skip = skipRecords;
  const onRecord = (rec: CsvRecord) => {
    if (skip > 0) {
      skip--;
      return;
    }
    handler.onRecord(rec);
  };
  let lines: number;
  try {
    lines = await scanLines(chunks, layout, handler, onRecord, firstLine, skip > 0);
  } catch (e) {
    if (!(e instanceof RecordTooLongError)) throw e;
    // What was read before the monster line is kept.
    out.bad.add('too-long', e.line, e.message, 'lines too long to read');
    lines = e.line - firstLine;
  }
  out.lines += lines;
  return lines;
}

/**
 * The CSV scanner specialised for long exports, where a quoted cell is rare: each line is found
 * with a native newline search and split at delimiters in one pass. A line that holds a quote is
 * handed to the full scanner (csv.ts) with what follows, so quoted cells, even over several
 * lines, read the same.
 */
async function scanLines(
  chunks: AsyncIterable<Buffer>,
  layout: LongLayout,
  handler: RowHandler,
  onRecord: (rec: CsvRecord) => void,
  firstLine: number,
  skipping: boolean,
): Promise<number> {
  const { dialect, time, value } = layout;
  const rec = new CsvRecord(dialect);
  const edges = handler.edges;
  const before = edges?.before ?? 0;
  const after = edges?.after ?? 0;
  // where time and value are among the edge cells: index from the start, or from the end (<0)
  const tCell = time < before ? time : time - layout.width;
  const vCell = value < before ? value : value - layout.width;
  const fwd = new Int32Array(before + 1);
  const back = new Int32Array(after + 1);
  const delim = dialect.delimiter;
  let line = firstLine;
  let carry: Buffer | null = null;
  const it = lineAligned(chunks)[Symbol.asyncIterator]();
  // As in scanCsv: an unfinished long line waits for as many new bytes as it holds.
  let waiting: Buffer[] = [];
  let waitingBytes = 0;
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    if (carry && carry.length >= LONG_RECORD && waitingBytes + next.value.length < carry.length) {
      waiting.push(Buffer.from(next.value));
      waitingBytes += next.value.length;
      if (carry.length + waitingBytes > MAX_RECORD_BYTES) throw new RecordTooLongError(line);
      continue;
    }
    const buf: Buffer = carry ? Buffer.concat([carry, ...waiting, next.value]) : next.value;
    waiting = [];
    waitingBytes = 0;
    let pos = 0;
    rec.buf = buf;
    for (;;) {
      if (handler.fast && !skipping) {
        pos = handler.fastRun(buf, pos);
        line += handler.taken;
      }
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const end = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
      if (edges && !skipping) {
        // Find the key run from the edges: `before` delimiters from the start, `after` from the end.
        let ok = true;
        fwd[0] = pos;
        let i = pos;
        for (let k = 1; k <= before && ok; k++) {
          while (i < end && buf[i] !== delim && buf[i] !== 34) i++;
          if (i >= end || buf[i] === 34) ok = false;
          else fwd[k] = ++i;
        }
        back[0] = end;
        let j = end - 1;
        for (let k = 1; k <= after && ok; k++) {
          while (j >= i && buf[j] !== delim && buf[j] !== 34) j--;
          if (j < i || buf[j] === 34) ok = false;
          else back[k] = j--;
        }
        if (ok) {
          const keyStart = fwd[before];
          const keyEnd = back[after];
          const ts = tCell >= 0 ? fwd[tCell] : back[-tCell] + 1;
          const te = tCell >= 0 ? fwd[tCell + 1] - 1 : back[-tCell - 1];
          const vs = vCell >= 0 ? fwd[vCell] : back[-vCell] + 1;
          const ve = vCell >= 0 ? fwd[vCell + 1] - 1 : back[-vCell - 1];
          if (keyEnd > keyStart && handler.onKnownKey(buf, keyStart, keyEnd, ts, te, vs, ve)) {
            line++;
            pos = nl + 1;
            continue;
          }
        }
      }
      let n = 0;
      let p = pos;
      let quoted = false;
      for (let i = pos; i < end; i++) {
        const c = buf[i];
        if (c === delim) {
          if (n + 1 >= rec.start.length) rec.grow();
          rec.start[n] = p;
          rec.end[n] = i;
          rec.flags[n] = 0;
          n++;
          p = i + 1;
        } else if (c === 34) {
          quoted = true;
          break;
        }
      }
      if (quoted) {
        // Hand the rest of the input to the full scanner: it copes with any quoting from here on.
        const rest = buf.subarray(pos);
        return line - firstLine + (await scanCsv(owned(rest, it), dialect, onRecord, line));
      }
      if (end > pos || n > 0) {
        rec.start[n] = p;
        rec.end[n] = end;
        rec.flags[n] = 0;
        rec.n = n + 1;
        rec.line = line;
        onRecord(rec);
        skipping = false;
      }
      line++;
      pos = nl + 1;
    }
    carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
    if (carry && carry.length > MAX_RECORD_BYTES) throw new RecordTooLongError(line);
  }
  if (waiting.length) carry = Buffer.concat([carry!, ...waiting]);
  if (carry?.length) return line - firstLine + (await scanCsv(owned(carry, it), dialect, onRecord, line));
  return line - firstLine;
}

/**
 * `first`, then the rest of `it`, as copies: the full scanner keeps views of earlier chunks
 * (a record not finished yet), which a refilled buffer would overwrite.
 */
async function* owned(first: Buffer, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield Buffer.from(first);
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield Buffer.from(r.value);
  }
}

/**
 * The same bytes, re-cut so that chunks end at a line end: the line a chunk breaks off in is
 * joined to its end in a small buffer of its own, so the scanner never copies a whole chunk to
 * carry a part line over (a copy of the file otherwise). A line still unfinished after
 * LONG_RECORD bytes is passed on as it came; the scanner's own carry takes it from there.
 */
export async function* lineAligned(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let tail: Buffer[] = [];
  let tailBytes = 0;
  for await (const chunk of chunks) {
    let start = 0;
    if (tailBytes > 0) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        tail.push(Buffer.from(chunk));
        tailBytes += chunk.length;
        if (tailBytes >= LONG_RECORD) {
          yield* tail;
          tail = [];
          tailBytes = 0;
        }
        continue;
      }
      tail.push(chunk.subarray(0, nl + 1));
      yield Buffer.concat(tail);
      tail = [];
      tailBytes = 0;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      yield start === 0 && last === chunk.length - 1 ? chunk : chunk.subarray(start, last + 1);
      start = last + 1;
    }
    if (start < chunk.length) {
      // Copied: the source may refill its buffer once the next chunk is asked for.
      tail.push(Buffer.from(chunk.subarray(start)));
      tailBytes += chunk.length - start;
      if (tailBytes >= LONG_RECORD) {
        yield* tail;
        tail = [];
        tailBytes = 0;
      }
    }
  }
  // The last line, without a line end: in one piece too.
  if (tail.length) yield tail.length === 1 ? tail[0] : Buffer.concat(tail);
}

/** The per-row function: bytes → (series id, t, v), with interning on the key cells' bytes. */
export interface RowHandler {
  onRecord(rec: CsvRecord): void;
  /** Fast path: a row whose key bytes were seen before, given as spans; false when new. */
  onKnownKey(
    buf: Buffer,
    key0: number,
    key1: number,
    t0: number,
    t1: number,
    v0: number,
    v1: number,
  ): boolean;
  /** Cells before and after the key run when every other cell is the time or the value. */
  edges: { before: number; after: number } | null;
  /**
   * Fastest path, for runs of rows of the series read last (an export writes a series' rows
   * together): takes complete lines from `pos` on while they repeat that series' key and hold
   * plain time and value cells; returns where it stopped (the start of the first line it did not
   * take) and leaves the number of lines taken in `taken`. A line it stops at goes the usual way.
   */
  fastRun(buf: Buffer, pos: number): number;
  /** Whether the layout allows fastRun (every cell is the time, the value or a key cell). */
  fast: boolean;
  taken: number;
}

export function longRowHandler(layout: LongLayout, out: Collector): RowHandler {
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
  const onRecord = (rec: CsvRecord) => {
    if (rec.n !== width) {
      out.bad.add(
        'width',
        rec.line,
        `${rec.n} fields where the header has ${width}${delimiterHint(rec, width)}; row skipped: ${rec.raw()}`,
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
    // Wall-clock times are counted as the samples they dated (a skipped row dated nothing).
    if (out.take(id, tp.ms, v, rec.line) && tp.kind === 'wall') {
      wall++;
      out.facts.wallTimes = wall;
    }
  };
  // The key run is [first, last]; the other cells, time and value, sit before and after it.
  const edges =
    runs.length === 1 && width === runs[0][1] - runs[0][0] + 3
      ? { before: runs[0][0], after: width - 1 - runs[0][1] }
      : null;
  const one = new Int32Array(2);
  const onKnownKey = (
    buf: Buffer,
    key0: number,
    key1: number,
    t0: number,
    t1: number,
    v0: number,
    v1: number,
  ): boolean => {
    one[0] = key0;
    one[1] = key1;
    const k = interner.find(buf, one, 1);
    if (k < 0) return false;
    // Plain digits in both cells (most exports): read them here, without a call per cell, so
    // the doubles stay in registers instead of becoming a heap number per sample.
    let t = 0;
    let i = t0;
    if (t1 - t0 <= 15)
      for (; i < t1; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        t = t * 10 + d;
      }
    let isWall = false;
    if (i === t1 && t1 > t0) {
      t = t < 1e11 ? t * 1000 : t < 1e14 ? t : Math.round(t / 1e3);
    } else {
      if (!parseTimeBytes(buf, t0, t1, tz, tp)) return false;
      isWall = tp.kind === 'wall';
      t = tp.ms;
    }
    let v = 0;
    let j = v0;
    if (v1 - v0 <= 15)
      for (; j < v1; j++) {
        const d = buf[j] - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
    if (j !== v1 || v1 === v0) {
      const parsed = parseNumber(buf, v0, v1);
      if (parsed === undefined) return false;
      v = parsed;
    }
    // Anything unusual (NaN, a negative, an impossible time) goes the slow way, which knows the line.
    if (!out.plain(t, v)) return false;
    if (isWall) {
      wall++;
      out.facts.wallTimes = wall;
    }
    out.add(idOf[k], t, v);
    return true;
  };
  // fastRun's plan: the line's cells in order, as the time (-1), the value (-2) or key run k (k).
  // Only where every cell is one of them (a pandas index column, say, is none).
  const plan: number[] = [];
  if (width === keyCols.length + 2 && time !== value) {
    for (let col = 0; col < width; col++) {
      if (col === time) plan.push(-1);
      else if (col === value) plan.push(-2);
      else {
        const k = runs.findIndex((r) => r[0] === col);
        plan.push(k);
        col = runs[k][1];
      }
    }
  }
  const steps = Int32Array.from(plan);
  const delim = layout.dialect.delimiter;
  // The key of the series read last, copied where 8-byte loads can read it, cut into its runs.
  let keyId = -1;
  let keyOk = false;
  let keySeries = -1;
  let keyBuf = Buffer.alloc(256);
  let keyView = new DataView(keyBuf.buffer, keyBuf.byteOffset, keyBuf.length);
  const pieceStart = new Int32Array(runs.length);
  const pieceLen = new Int32Array(runs.length);
  // Cell results go through a typed array: a double kept in a closure variable is a heap number.
  const cell = new Float64Array(2);
  // 1 when the line's time was a wall-clock time (counted once the line is taken).
  const wallCell = new Uint8Array(1);
  const handler = {
    onRecord,
    onKnownKey,
    edges,
    fast: plan.length > 0,
    taken: 0,
    fastRun(buf: Buffer, pos: number): number {
      handler.taken = 0;
      const id = interner.lastId;
      if (id !== keyId) useKey(id);
      if (!keyOk) return pos;
      const limit = buf.length;
      const view = new DataView(buf.buffer, buf.byteOffset, limit);
      // Locals, not the closure's variables: the loop keeps them in registers.
      const kBuf = keyBuf;
      const kView = keyView;
      const n = steps.length;
      const dl = delim;
      let taken = 0;
      for (;;) {
        let i = pos;
        let s = 0;
        wallCell[0] = 0;
        for (; s < n; s++) {
          const step = steps[s];
          const last = s === n - 1;
          if (step < 0) {
            i = readCell(buf, i, limit, step === -1, last);
            if (i < 0) break;
          } else {
            // A run of the key, 8 bytes at a time: its stored bytes hold no 0 byte, so no 8 of them
            // read as ±0 and equal doubles are equal bytes (a NaN never equals: the slow way).
            const len = pieceLen[step];
            const at = pieceStart[step];
            if (i + len >= limit) break;
            let k = 0;
            for (; k + 8 <= len; k += 8)
              if (view.getFloat64(i + k, true) !== kView.getFloat64(at + k, true)) break;
            if (k + 8 <= len) break;
            for (; k < len; k++) if (buf[i + k] !== kBuf[at + k]) break;
            if (k < len) break;
            i += len;
          }
          if (!last) {
            if (buf[i] !== dl) break;
            i++;
          }
        }
        if (s < n) break;
        // i is at the line end: LF, or CR LF.
        let next: number;
        if (buf[i] === 10) next = i + 1;
        else if (buf[i] === 13 && i + 1 < limit && buf[i + 1] === 10) next = i + 2;
        else break;
        const t = cell[0];
        const v = cell[1];
        // Anything unusual (NaN, a negative, an impossible time) goes the slow way, which knows the line.
        if (!out.plain(t, v)) break;
        out.add(keySeries, t, v);
        if (wallCell[0]) {
          wall++;
          out.facts.wallTimes = wall;
        }
        taken++;
        pos = next;
      }
      handler.taken = taken;
      return pos;
    },
  };
  return handler;

  /** Takes interned key `id` as the one fastRun compares with, when its bytes allow the word compare. */
  function useKey(id: number): void {
    keyId = id;
    keyOk = false;
    if (id < 0 || plan.length === 0) return;
    const bytes = interner.keyBytes(id);
    // A quoted key goes the slow way (which decodes its escapes).
    if (bytes.includes(34)) return;
    if (bytes.length > keyBuf.length) {
      keyBuf = Buffer.alloc(bytes.length * 2);
      keyView = new DataView(keyBuf.buffer, keyBuf.byteOffset, keyBuf.length);
    }
    keyBuf.set(bytes);
    // The interner joins a key's runs with a 0 byte; one more 0 is a 0 in a label (see the compare).
    let at = 0;
    for (let k = 0; k < runs.length; k++) {
      const end = k === runs.length - 1 ? bytes.length : bytes.indexOf(0, at);
      if (end < 0) return;
      pieceStart[k] = at;
      pieceLen[k] = end - at;
      at = end + 1;
    }
    if (bytes.indexOf(0, pieceStart[runs.length - 1]) >= 0) return;
    keyOk = true;
    keySeries = idOf[id];
  }

  /**
   * Reads the time or value cell at `i` into `cell` (0: time in ms, 1: value); returns the index
   * of the byte that ends it (the delimiter, or the line end when `last`), or -1 when the cell is
   * quoted, runs past the buffer or does not parse. Plain digits (most exports) are read here,
   * in a function small enough for the engine to inline; anything else goes to otherCell.
   */
  function readCell(buf: Buffer, i: number, limit: number, timeCell: boolean, last: boolean): number {
    const s = i;
    let x = 0;
    for (; i < limit; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      x = x * 10 + d;
    }
    if (i >= limit) return -1;
    const b = buf[i];
    if (i > s && i - s <= 15 && (b === delim || (last && (b === 10 || b === 13)))) {
      // As epochToMs, for a whole number.
      if (timeCell) cell[0] = x < 1e11 ? x * 1000 : x < 1e14 ? x : Math.round(x / 1e3);
      else cell[1] = x;
      return i;
    }
    return otherCell(buf, s, i, limit, timeCell, last);
  }

  /** readCell for cells that are not plain digits: decimals, exponents, RFC 3339, a zone's wall time. */
  function otherCell(
    buf: Buffer,
    s: number,
    i: number,
    limit: number,
    timeCell: boolean,
    last: boolean,
  ): number {
    let b = 0;
    for (; i < limit; i++) {
      b = buf[i];
      if (b === delim || b === 10 || b === 13 || b === 34) break;
    }
    if (i >= limit || b === 34 || (!last && b !== delim) || (last && b === delim)) return -1;
    if (timeCell) {
      if (!parseTimeBytes(buf, s, i, tz, tp)) return -1;
      if (tp.kind === 'wall') wallCell[0] = 1;
      cell[0] = tp.ms;
    } else {
      const v = parseNumber(buf, s, i);
      if (v === undefined) return -1;
      cell[1] = v;
    }
    return i;
  }

  function register(rec: CsvRecord): number {
    const labels: Record<string, string> = {};
    let name = layout.name >= 0 ? rec.text(layout.name) : '';
    if (layout.seriesName >= 0) {
      const text = rec.text(layout.seriesName);
      // the Series column of Grafana 6–7 legacy exports: label values as they are
      const parsed = readSeriesName(text, 'none');
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
