import { InputError } from '../../errors.js';
import type { Importer } from '../registry.js';
import { headText } from '../text/decode.js';
import { JsonSplitError, splitJson } from '../text/json-split.js';
import { Collector, partOf } from './collector.js';
import { textChunks } from './common.js';
import { addJsonSeries, skipBadJson } from './json-series.js';
import { damagedJson } from './prometheus-json.js';
import { toDataset } from './to-dataset.js';

/**
 * VictoriaMetrics `/api/v1/export` (formats.md §3.B): JSON lines
 * `{"metric":{…},"values":[…],"timestamps":[…]}`, raw samples at scrape times, ms timestamps,
 * `null` for NaN. Lines of one series (reduce_mem_usage, max_rows_per_line) are merged.
 */
const importer: Importer = {
  id: 'victoriametrics-json',
  title: 'VictoriaMetrics /api/v1/export JSON lines',
  detect(probe) {
    if (probe.kind !== 'file') return 0;
    const s = headText(probe).text.trimStart().slice(0, 65536);
    return /^\{\s*"metric"\s*:/.test(s) && /"timestamps"\s*:\s*\[/.test(s) ? 0.95 : 0;
  },
  async load(opened, ctx) {
    const path = opened.probe.name;
    const c = new Collector();
    let result: Awaited<ReturnType<typeof splitJson>>;
    let damaged: string | undefined;
    try {
      result = await splitJson(
        textChunks(opened, ctx, { cutLines: false }),
        'sequence',
        {
          onElement: (el, line) => addJsonSeries(el, line, c),
          onBadElement: skipBadJson(c, 'line'),
        },
        { lines: true },
      );
    } catch (e) {
      if (!(e instanceof JsonSplitError)) throw e;
      damaged = damagedJson(path, e, c);
      if (!damaged)
        throw new InputError(
          path,
          `is not valid JSON lines: ${e.message}. Export it again (was the file cut, or edited by hand?)`,
        );
      result = { lines: e.line, elements: c.names.length, complete: false };
    }
    c.lines = result.lines;
    return toDataset([partOf(c)], {
      path,
      format: 'victoriametrics-json',
      warnings: damaged ? [damaged] : [],
      details: { entries: result.elements, mergedLines: result.elements - c.names.length },
    });
  },
};
export default importer;
