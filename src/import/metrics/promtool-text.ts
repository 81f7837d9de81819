import type { Importer } from '../registry.js';
import { headLines } from '../text/decode.js';
import { forEachLine } from '../text/lines.js';
import { parseNumber } from '../text/number.js';
import { epochToMs } from '../text/time.js';
import { Collector, OPAQUE_LABEL, partOf, reportCutLine, tooLong } from './collector.js';
import { textChunks } from './common.js';
import { readSeriesName } from './series-name.js';
import { toDataset } from './to-dataset.js';

/**
 * `promtool query range` default output (formats.md §2.B, prometheus/common model.Matrix.String):
 * `metric{a="b", c="d"} =>` then one `<value> @[<unix seconds>]` line per point.
 */
const HEADER = / =>$/;
const POINT = /^(\S+) @\[([0-9.eE+-]+)\]$/;

const importer: Importer = {
  id: 'promtool-text',
  title: 'promtool query range text output',
  detect(probe) {
    if (probe.kind !== 'file') return 0;
    const lines = headLines(probe, 3);
    return lines.length > 0 && HEADER.test(lines[0]) && (lines.length < 2 || POINT.test(lines[1])) ? 0.9 : 0;
  },
  async load(opened, ctx) {
    const path = opened.probe.name;
    const c = new Collector();
    let current = -1;
    const onLine = (buf: Buffer, s: number, e: number, line: number): void => {
      if (e === s) return;
      const text = buf.toString('utf8', s, e);
      if (HEADER.test(text)) {
        const name = text.slice(0, -3).trim();
        const parsed = readSeriesName(name);
        current = parsed ? c.series(parsed.name, parsed.labels) : c.series('', { [OPAQUE_LABEL]: name });
        return;
      }
      const m = POINT.exec(text);
      const v = m ? parseNumber(Buffer.from(m[1]), 0, m[1].length) : undefined;
      const t = m ? Number(m[2]) : Number.NaN;
      if (!m || current < 0 || v === undefined || !Number.isFinite(t)) {
        c.bad.add(
          'line',
          line,
          `"${text.slice(0, 80)}" is neither "series =>" nor "value @[time]"; skipped`,
          'lines that are neither a series header nor a point were skipped',
        );
        return;
      }
      c.take(current, epochToMs(t), v, line);
    };
    const lines = await forEachLine(textChunks(opened, ctx, { lineEnded: true }), onLine, tooLong(c));
    c.lines = lines;
    reportCutLine(c, opened.cutLine);
    return toDataset([partOf(c)], { path, format: 'promtool-text' });
  },
};
export default importer;
