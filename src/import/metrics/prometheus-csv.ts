import { InputError } from '../../errors.js';
import type { Importer } from '../registry.js';
import { csvHead, quotedHeader } from './csv-head.js';
import { loadLongCsv } from './load-long.js';
import type { LongLayout } from './long-rows.js';
import { longLayoutFromHeader } from './long-rows.js';

/**
 * Long CSVs with one sample per row (formats.md §4): RobustPerception query_csv.py and its copies
 * (`name,timestamp,value,<labels>`, CRLF), prom2csv (the same with `id` first, one instant), nalbury
 * promql-cli (`<labels>,value,timestamp`, RFC3339 in the host's zone), prometheus-api-client +
 * pandas `to_csv` (`timestamp,<labels>,value`), and generic `time,name,value` frames. Columns are
 * told by their header names; timestamps in seconds, milliseconds or RFC3339 are told apart per
 * value.
 */
const importer: Importer = {
  id: 'prometheus-csv',
  title: 'long CSV of Prometheus samples (query_csv.py, promql-cli, pandas to_csv)',
  detect(probe) {
    const head = csvHead(probe);
    if (!head || head.header.length < 2) return 0;
    if (head.header.some((h) => /^__(value|timestamp)__/.test(h))) return 0;
    const layout = longLayoutFromHeader(head.header, head.dialect);
    if (!layout) return 0;
    return variantOf(layout, head.header) === 'generic' ? 0.5 : 0.8;
  },
  async load(opened, ctx) {
    const head = csvHead(opened.probe);
    const layout = head && longLayoutFromHeader(head.header, head.dialect, ctx.tz);
    if (!head || !layout)
      throw new InputError(opened.probe.name, 'has no header with a time and a value column');
    const variant = variantOf(layout, head.header);
    return loadLongCsv(opened, ctx, {
      // csv.writer (query_csv.py), pandas and Go's encoding/csv (promql-cli) end every row, so a last
      // row without a line end is cut. Grafana's toCSV of a table frame (a quoted header, maybe a
      // sep= line) writes none after the last row, and a generic table may come from anywhere:
      // their last row is read as it is.
      lineEnded: variant !== 'generic' && head.preamble === 0 && !quotedHeader(head),
      format: 'prometheus-csv',
      layout,
      skipRecords: head.preamble + 1,
      details: { variant, columns: head.header.length },
    });
  },
};
export default importer;

function variantOf(l: LongLayout, header: string[]): string {
  if (l.name === 0 && l.time === 1 && l.value === 2)
    return header[0].trim() === 'id'
      ? 'prom2csv (id,timestamp,value,labels)'
      : 'query_csv.py (name,timestamp,value,labels)';
  if (l.value === l.width - 2 && l.time === l.width - 1) return 'promql-cli (labels,value,timestamp)';
  // pandas puts the index first and labels first seen in later series after `value`
  if (l.time === 0) return 'pandas to_csv (timestamp index first)';
  return 'generic';
}
