import type { ImportContext, Importer, OpenedInput } from '../registry.js';
import type { Dataset } from '../types.js';
import { Collector, partOf } from './collector.js';
import { textChunks, zoneWarning } from './common.js';
import type { CsvHead } from './csv-head.js';
import { csvHead, quotedHeader } from './csv-head.js';
import { loadLongCsv } from './load-long.js';
import { longLayoutFromHeader } from './long-rows.js';
import { toDataset } from './to-dataset.js';
import { parseWideBody } from './wide-rows.js';

/**
 * Grafana CSV downloads (formats.md §1):
 * - Inspect > Data > "Download CSV" (7.0 → now): `"Time","<series>",…`, joined by time or one
 *   frame; raw (epoch ms, JS numbers) or "Formatted data" (`YYYY-MM-DD HH:mm:ss` in the
 *   dashboard's zone, `118 MiB`); UTF-8 BOM (7.1–11.0), `sep=,` (Excel), UTF-16LE tab-separated
 *   (12.2+ Excel mode), CRLF, no final newline, repeated headers;
 * - legacy Graph panel "Export CSV" (≤ 7.x): `"Series";"Time";"Value"` rows or `"Time";…`
 *   columns, `;`, `null` for gaps, times with an offset.
 */
const importer: Importer = {
  id: 'grafana-csv',
  title: 'Grafana CSV (Download CSV, joined or single series; legacy Export CSV)',
  detect(probe) {
    const head = csvHead(probe);
    if (!head || head.header.length < 2) return 0;
    if (isLegacyRows(head)) return 0.9;
    if (!/^time$/i.test(head.header[0].trim())) return 0;
    // A table frame (`"time","name","value"`, a long-format query) is one sample per row: let
    // the long-CSV reader take it unless the other headers name series. `"Time","Value"` alone is
    // a single unnamed series, which Grafana may have written with units ("Formatted data").
    const long = longLayoutFromHeader(head.header, head.dialect);
    if (
      long &&
      (long.name >= 0 || long.seriesName >= 0 || long.labels.length > 0) &&
      !head.header.some((h) => h.includes('{'))
    )
      return 0.45;
    if (head.encoding !== 'utf8' || quotedHeader(head) || head.dialect.delimiter === 59) return 0.9;
    return 0.6;
  },
  async load(opened, ctx) {
    const head = csvHead(opened.probe)!;
    if (isLegacyRows(head)) {
      return loadLongCsv(opened, ctx, {
        // Grafana's file_export.ts (6.x, 7.x) writes no line end after the last row: it is whole without one
        lineEnded: false,
        format: 'grafana-csv',
        layout: {
          dialect: head.dialect,
          width: 3,
          seriesName: 0,
          time: 1,
          value: 2,
          name: -1,
          labels: [],
          tz: ctx.tz,
        },
        skipRecords: head.preamble + 1,
        details: { variant: 'legacy Export CSV, series as rows', ...encodingFacts(head) },
      });
    }
    return loadWide(opened, ctx, head);
  },
};
export default importer;

function isLegacyRows(head: CsvHead): boolean {
  const h = head.header.map((c) => c.trim());
  return h.length === 3 && h[0] === 'Series' && h[1] === 'Time' && h[2] === 'Value';
}

function encodingFacts(head: CsvHead): Record<string, unknown> {
  return {
    encoding: head.encoding === 'utf16le' ? 'UTF-16LE (Excel compatibility mode)' : 'UTF-8',
    bom: head.bom,
    excelSepLine: head.preamble > 0,
    delimiter: String.fromCharCode(head.dialect.delimiter).replace('\t', 'TAB'),
  };
}

async function loadWide(opened: OpenedInput, ctx: ImportContext, head: CsvHead): Promise<Dataset> {
  const path = opened.probe.name;
  const c = new Collector();
  const { header, duplicates, rows } = await parseWideBody(
    textChunks(opened, ctx),
    head.dialect,
    head.preamble,
    ctx.tz,
    c,
  );
  const warnings = zoneWarning(path, c.facts.wallTimes, ctx);
  if (rows === 0 && c.bad.total === 0 && header.length > 0) {
    // Verbose legends make headers of several KiB, so a download cut short may end inside it.
    const last = header.at(-1)!;
    warnings.push(
      `${path}: the header (${header.length} columns, the last ${JSON.stringify(last.length > 80 ? `…${last.slice(-80)}` : last)}) is followed by no row: ` +
        'was the file cut short, inside its header? Or the panel had no data in its time range',
    );
  }
  if (c.facts.formattedValues) {
    warnings.push(
      `${path}: ${c.facts.formattedValues} values were written with a unit by Grafana ("Formatted data", e.g. "118 MiB") and are rounded; ` +
        'download again with "Formatted data" off for exact numbers',
    );
  }
  if (duplicates.length) {
    warnings.push(
      `${path}: repeated column headers (${duplicates
        .slice(0, 3)
        .map((d) => JSON.stringify(d.slice(0, 60)))
        .join(
          ', ',
        )}${duplicates.length > 3 ? ', …' : ''}); names without labels were kept apart as "name #2"…, identical metric{labels} names merged`,
    );
  }
  const variant =
    head.dialect.delimiter === 59
      ? 'legacy Export CSV, series as columns'
      : header.length === 2
        ? 'Download CSV, single series'
        : 'Download CSV, series joined by time';
  return toDataset([partOf(c)], {
    path,
    format: 'grafana-csv',
    warnings,
    details: {
      variant,
      ...encodingFacts(head),
      lossy: Boolean(c.facts.formattedValues),
      ...(ctx.tz && c.facts.wallTimes ? { timeZone: ctx.tz } : {}),
    },
  });
}
