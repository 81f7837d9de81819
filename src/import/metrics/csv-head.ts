import type { Probe } from '../registry.js';
import type { CsvDialect } from '../text/csv.js';
import { guessDelimiter, splitLine } from '../text/csv.js';
import { headLines, headText } from '../text/decode.js';

/** The start of a CSV-like input: Excel `sep=X` hint, dialect, and the header cells. */
export interface CsvHead {
  dialect: CsvDialect;
  /** Records before the header (1 when the file starts with `sep=X`). */
  preamble: number;
  header: string[];
  /** The header line as written (may be cut at the end of the 64 KiB head). */
  headerLine: string;
  /** The lines after the header, for sniffing. */
  sample: string[];
  encoding: ReturnType<typeof headText>['encoding'];
  bom: boolean;
}

const cache = new WeakMap<Probe, CsvHead | null>();

/**
 * Every header cell quoted: Grafana's writers (toCSV, file_export.ts). Python's csv.writer, pandas
 * and Go's encoding/csv quote a cell only when it needs it, and no header name does.
 */
export function quotedHeader(head: CsvHead): boolean {
  return head.headerLine.startsWith('"');
}

/** Reads the head of a text input as CSV; null when it does not look like delimited text. */
export function csvHead(probe: Probe, quote: CsvDialect['quote'] = 'rfc4180'): CsvHead | null {
  if (probe.kind !== 'file') return null;
  const hit = cache.get(probe);
  if (hit !== undefined && quote === 'rfc4180') return hit;
  const lines = headLines(probe, 12);
  const { encoding, bom } = headText(probe);
  let result: CsvHead | null = null;
  if (lines.length > 0 && !lines[0].trimStart().startsWith('{') && !lines[0].trimStart().startsWith('[')) {
    let preamble = 0;
    let delimiter: number | undefined;
    const sep = /^"?sep=(.)"?$/.exec(lines[0].trim());
    if (sep) {
      preamble = 1;
      delimiter = sep[1] === '\\t' ? 9 : sep[1].charCodeAt(0);
    }
    const headerLine = lines[preamble] ?? '';
    // Grafana's UTF-16 (Excel mode, with a BOM) is always tab-separated; other text says by itself.
    delimiter ??= encoding === 'utf16le' && bom ? 9 : guessDelimiter(headerLine);
    const dialect: CsvDialect = { delimiter, quote };
    result = {
      dialect,
      preamble,
      header: splitLine(headerLine, dialect),
      headerLine,
      sample: lines.slice(preamble + 1),
      encoding,
      bom,
    };
  }
  if (quote === 'rfc4180') cache.set(probe, result);
  return result;
}
