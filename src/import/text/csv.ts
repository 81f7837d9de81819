import { unescapeGo } from './escape.js';

/**
 * A streaming CSV scanner over UTF-8 bytes. It finds record and cell boundaries without making a
 * string per cell (the consumer decodes only what it needs), and never holds more than one chunk
 * plus one unfinished record. Two quoting dialects exist in the wild (formats.md):
 * - 'rfc4180': "" doubles a quote, quoted cells may hold the delimiter and newlines (Grafana,
 *   Python csv, Go encoding/csv, pandas);
 * - 'backslash': JSON/Go-style \" and \\ inside quotes (VictoriaMetrics /api/v1/export/csv).
 * CRLF and LF both end a record; a last record without a newline is still read; blank lines are
 * skipped but counted, so line numbers in warnings match what an editor shows.
 */
export interface CsvDialect {
  /** Byte of the delimiter: 44 ',', 59 ';', 9 TAB. */
  delimiter: number;
  quote: 'rfc4180' | 'backslash';
}

const QUOTED = 1;
const ESCAPED = 2;
/** Longest record read; a longer one is no export's (see RecordTooLongError). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** A record longer than this waits for more data before it is parsed again (see scanCsv). */
export const LONG_RECORD = 64 * 1024;

export class CsvRecord {
  buf: Buffer = Buffer.alloc(0);
  /** Number of cells. */
  n = 0;
  start = new Int32Array(64);
  end = new Int32Array(64);
  flags = new Uint8Array(64);
  /** 1-based line number where the record starts. */
  line = 0;
  constructor(readonly dialect: CsvDialect) {}

  /** Cell text, quotes removed and escapes resolved. */
  text(i: number): string {
    const raw = this.buf.toString('utf8', this.start[i], this.end[i]);
    if (!(this.flags[i] & ESCAPED)) return raw;
    return this.dialect.quote === 'rfc4180' ? raw.replace(/""/g, '"') : unescapeGo(raw);
  }

  quoted(i: number): boolean {
    return (this.flags[i] & QUOTED) !== 0;
  }

  /** The whole record as written (for warnings), cut to `max` characters. */
  raw(max = 120): string {
    if (this.n === 0) return '';
    const s = Math.max(0, this.start[0] - (this.flags[0] & QUOTED));
    const e = Math.min(this.buf.length, this.end[this.n - 1] + (this.flags[this.n - 1] & QUOTED));
    const t = this.buf.toString('utf8', s, Math.min(e, s + max * 4));
    return t.length > max ? `${t.slice(0, max)}…` : t;
  }

  texts(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.n; i++) out.push(this.text(i));
    return out;
  }

  grow(): void {
    const cap = this.start.length * 2;
    const s = new Int32Array(cap);
    s.set(this.start);
    this.start = s;
    const e = new Int32Array(cap);
    e.set(this.end);
    this.end = e;
    const f = new Uint8Array(cap);
    f.set(this.flags);
    this.flags = f;
  }
}

/** A record longer than MAX_RECORD_BYTES: no export has one; the rest of the input is not read. */
export class RecordTooLongError extends Error {
  constructor(readonly line: number) {
    super(
      `line ${line} is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB, which no export's line is (binary data, or a quote never closed?); the rest was not read`,
    );
  }
}

/**
 * Calls `onRecord` for every record of the stream. The record object is reused: copy what you
 * keep. Return false from `onRecord` to stop early. Resolves to the number of lines read.
 */
export async function scanCsv(
  chunks: AsyncIterable<Buffer>,
  dialect: CsvDialect,
  onRecord: (r: CsvRecord) => unknown,
  firstLine = 1,
): Promise<number> {
  const rec = new CsvRecord(dialect);
  let carry: Buffer | null = null;
  let line = firstLine;
  let stopped = false;
  const step = (buf: Buffer, final: boolean): number => {
    let pos = 0;
    const len = buf.length;
    const delim = dialect.delimiter;
    const rfc = dialect.quote === 'rfc4180';
    rec.buf = buf;
    while (pos < len) {
      let p = pos;
      let n = 0;
      let newlines = 0;
      let complete = false;
      for (;;) {
        if (n >= rec.start.length) rec.grow();
        let flags = 0;
        let s = p;
        let e: number;
        let k: number;
        if (buf[p] === 34) {
          flags = QUOTED;
          s = p + 1;
          let j = s;
          let closed = -1;
          while (j < len) {
            const c = buf[j];
            if (c === 34) {
              if (rfc && buf[j + 1] === 34) {
                flags |= ESCAPED;
                j += 2;
                continue;
              }
              if (rfc && j + 1 >= len && !final) break; // cannot tell "" from " yet
              closed = j;
              break;
            }
            if (c === 92 && !rfc) {
              flags |= ESCAPED;
              j += 2;
              continue;
            }
            if (c === 10) newlines++;
            j++;
          }
          if (closed < 0) {
            if (!final) break;
            e = len; // unterminated quote at the end of input: keep what is there
            k = len;
          } else {
            e = closed;
            k = closed + 1;
            // Lenient: text after the closing quote up to the delimiter belongs to the cell.
            while (k < len && buf[k] !== delim && buf[k] !== 10) k++;
            if (k > closed + 1 && !(k === closed + 2 && buf[closed + 1] === 13)) e = k;
          }
        } else {
          k = p;
          while (k < len) {
            const c = buf[k];
            if (c === delim || c === 10) break;
            k++;
          }
          e = k;
        }
        if (k >= len && !final) break;
        if (k >= len || buf[k] === 10) {
          if (e > s && buf[e - 1] === 13 && (flags & QUOTED) === 0) e--;
        }
        rec.start[n] = s;
        rec.end[n] = e;
        rec.flags[n] = flags;
        n++;
        if (k < len && buf[k] === delim) {
          p = k + 1;
          if (p >= len && final) {
            // a trailing delimiter at the very end: one more empty cell
            if (n >= rec.start.length) rec.grow();
            rec.start[n] = p;
            rec.end[n] = p;
            rec.flags[n] = 0;
            n++;
            pos = len;
            complete = true;
            break;
          }
          if (p >= len) break;
          continue;
        }
        pos = k < len ? k + 1 : len;
        complete = true;
        break;
      }
      if (!complete) return pos;
      rec.n = n;
      rec.line = line;
      line += 1 + newlines;
      // Blank lines (old Grafana ends files with an empty record) are not records.
      if (n === 1 && rec.end[0] === rec.start[0] && rec.flags[0] === 0) continue;
      if (onRecord(rec) === false) {
        stopped = true;
        return len;
      }
    }
    return pos;
  };
  // Chunks that arrived while a long record is unfinished: the record is parsed again only once
  // as many new bytes have come as it already holds, so a line of many megabytes costs linear
  // time, not a fresh copy and parse of all of it for every chunk.
  let waiting: Buffer[] = [];
  let waitingBytes = 0;
  for await (const chunk of chunks) {
    if (carry && carry.length >= LONG_RECORD && waitingBytes + chunk.length < carry.length) {
      waiting.push(chunk);
      waitingBytes += chunk.length;
      if (carry.length + waitingBytes > MAX_RECORD_BYTES) throw new RecordTooLongError(line);
      continue;
    }
    const buf: Buffer = carry ? Buffer.concat([carry, ...waiting, chunk]) : chunk;
    waiting = [];
    waitingBytes = 0;
    const used = step(buf, false);
    if (stopped) return line - firstLine;
    carry = used < buf.length ? buf.subarray(used) : null;
    if (carry && carry.length > MAX_RECORD_BYTES) throw new RecordTooLongError(line);
    // A carried tail must not pin a whole 64 KiB chunk: copy it when small.
    if (carry && carry.length < 4096) carry = Buffer.from(carry);
  }
  if (waiting.length) carry = Buffer.concat([carry!, ...waiting]);
  if (carry?.length) step(carry, true);
  return line - firstLine;
}

const NAMES: Record<number, string> = { 44: '","', 59: '";"', 9: 'TAB', 124: '"|"' };

/**
 * For a record with the wrong number of cells: the words for another delimiter that splits it
 * into the header's `width` cells (a file pasted together from exports of two locales), or ''.
 */
export function delimiterHint(rec: CsvRecord, width: number): string {
  const text = rec.raw(64 * 1024);
  for (const d of [44, 59, 9, 124]) {
    if (d === rec.dialect.delimiter || !text.includes(String.fromCharCode(d))) continue;
    if (splitLine(text, { ...rec.dialect, delimiter: d }).length === width)
      return ` (this row is separated by ${NAMES[d]}, the header by ${NAMES[rec.dialect.delimiter] ?? 'another character'}: export again in one format)`;
  }
  return '';
}

/** Picks the delimiter of a header line: the most frequent of , ; TAB outside quotes. */
export function guessDelimiter(line: string): number {
  let inQ = false;
  const counts = { ',': 0, ';': 0, '\t': 0 };
  for (const c of line) {
    if (c === '"') inQ = !inQ;
    else if (!inQ && c in counts) counts[c as keyof typeof counts]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return 9;
  return counts[';'] > counts[','] ? 59 : 44;
}

/** Splits one line of text with the dialect (for headers and sniffing). */
export function splitLine(line: string, dialect: CsvDialect): string[] {
  const out: string[] = [];
  const d = String.fromCharCode(dialect.delimiter);
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let j = i + 1;
      let cell = '';
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          cell += line.slice(j);
          j = line.length;
          break;
        }
        if (dialect.quote === 'backslash') {
          let bs = 0;
          for (let b = q - 1; b >= j && line[b] === '\\'; b--) bs++;
          if (bs % 2 === 1) {
            cell += line.slice(j, q + 1);
            j = q + 1;
            continue;
          }
        } else if (line[q + 1] === '"') {
          cell += line.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        cell += line.slice(j, q);
        j = q + 1;
        break;
      }
      const next = line.indexOf(d, j);
      cell += next < 0 ? line.slice(j) : line.slice(j, next);
      out.push(dialect.quote === 'backslash' ? unescapeGo(cell) : cell);
      if (next < 0) break;
      i = next + 1;
    } else {
      const next = line.indexOf(d, i);
      out.push(next < 0 ? line.slice(i) : line.slice(i, next));
      if (next < 0) break;
      i = next + 1;
    }
  }
  return out;
}
