import { InputError } from '../../errors.js';
import type { Importer } from '../registry.js';
import type { CsvDialect } from '../text/csv.js';
import { csvHead } from './csv-head.js';
import { loadLongCsv } from './load-long.js';
import type { LongLayout } from './long-rows.js';

/**
 * VictoriaMetrics `/api/v1/export/csv?format=<fields>` (formats.md §3.A): one raw sample per row,
 * fields named by the `format` list (`__name__`, `__value__`, `__timestamp__[:unix_s|unix_ms|
 * unix_ns|rfc3339]`, label names), JSON-style backslash quoting, LF. Since v1.140 the first line
 * repeats the format list; older versions write no header, so the user gives the list with
 * `--vm-format`.
 */
const DIALECT: CsvDialect = { delimiter: 44, quote: 'backslash' };

const importer: Importer = {
  id: 'victoriametrics-csv',
  title: 'VictoriaMetrics /api/v1/export/csv (header since v1.140, else --vm-format)',
  detect(probe) {
    const head = csvHead(probe, 'backslash');
    if (!head) return 0;
    if (head.header.includes('__value__') && head.header.some((h) => h.startsWith('__timestamp__')))
      return 0.95;
    return looksHeaderless(head.header) ? 0.15 : 0;
  },
  async load(opened, ctx) {
    const name = opened.probe.name;
    const head = csvHead(opened.probe, 'backslash');
    if (!head) throw new InputError(name, 'is not a CSV file');
    const given = ctx.settings?.vmFormat;
    let fields: string[];
    let hasHeader = head.header.includes('__value__');
    if (given) {
      fields = given.split(',').map((f) => f.trim());
      hasHeader = head.header.join(',') === fields.join(',');
      if (!hasHeader && head.header.length !== fields.length)
        throw new InputError(
          name,
          `--vm-format names ${fields.length} fields but the first row has ${head.header.length}; give the format= list the file was exported with`,
        );
    } else if (hasHeader) fields = head.header;
    else
      throw new InputError(
        name,
        'looks like a VictoriaMetrics /api/v1/export/csv file without a header (written before v1.140). ' +
          `Give the format= list it was exported with: its rows have ${head.header.length} fields, so ${head.header.length} names in that order ` +
          `(first row: ${JSON.stringify(oneRow(head.header))}), e.g. --vm-format __name__,namespace,pod,container,__value__,__timestamp__:unix_s for a 6-field export`,
      );
    const layout = layoutOf(fields, ctx.tz);
    if (!layout)
      throw new InputError(
        name,
        `the field list ${fields.join(',')} has no __value__ or no __timestamp__; both are needed`,
      );
    return loadLongCsv(opened, ctx, {
      // VictoriaMetrics ends every row (ExportCSVLine's {% newline %}): a last row without a line end is cut
      lineEnded: true,
      format: 'victoriametrics-csv',
      layout,
      skipRecords: head.preamble + (hasHeader ? 1 : 0),
      details: { header: hasHeader, fields: fields.join(',') },
    });
  },
};
export default importer;

export function layoutOf(fields: string[], tz?: string): LongLayout | null {
  const time = fields.findIndex((f) => f.startsWith('__timestamp__'));
  const value = fields.indexOf('__value__');
  if (time < 0 || value < 0) return null;
  return {
    dialect: DIALECT,
    width: fields.length,
    time,
    value,
    name: fields.indexOf('__name__'),
    seriesName: -1,
    labels: fields.flatMap((key, col) => (key.startsWith('__') ? [] : [{ col, key }])),
    tz,
  };
}

/** A first row of data rather than names: a timestamp-like field and a numeric one. */
function looksHeaderless(cells: string[]): boolean {
  if (cells.length < 2) return false;
  const time = cells.some(
    (c) => /^\d{10}(\d{3}|\d{9})?$/.test(c) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(c),
  );
  const metric = cells.some((c) => /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(c) && c.includes('_'));
  return time && metric;
}

function oneRow(cells: string[]): string {
  const row = cells.join(',');
  return row.length > 120 ? `${row.slice(0, 120)}…` : row;
}
