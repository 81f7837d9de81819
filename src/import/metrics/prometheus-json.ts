import { InputError } from '../../errors.js';
import type { Importer } from '../registry.js';
import { headText } from '../text/decode.js';
import type { JsonShape } from '../text/json-split.js';
import { JsonSplitError, splitJson } from '../text/json-split.js';
import { Collector, partOf } from './collector.js';
import { textChunks } from './common.js';
import { addJsonSeries, skipBadJson } from './json-series.js';
import { toDataset } from './to-dataset.js';

/**
 * Prometheus HTTP API JSON (formats.md §2): the `/api/v1/query_range` envelope (also served by
 * VictoriaMetrics and Thanos, and by VictoriaMetrics export?format=promapi), the bare array of
 * `promtool query -o json range` or `jq .data.result`, and single series objects one after the
 * other. Streamed: each series is parsed on its own.
 */
const importer: Importer = {
  id: 'prometheus-json',
  title: 'Prometheus API JSON (query_range envelope, promtool -o json, jq .data.result)',
  detect(probe) {
    return shapeOf(probe.kind === 'file' ? headText(probe).text : '') ? 0.9 : 0;
  },
  async load(opened, ctx) {
    const path = opened.probe.name;
    const shape = shapeOf(headText(opened.probe).text);
    if (!shape) throw new InputError(path, 'is not Prometheus API JSON');
    const c = new Collector();
    const meta: Record<string, unknown> = {};
    let result: Awaited<ReturnType<typeof splitJson>>;
    let damaged: string | undefined;
    try {
      result = await splitJson(textChunks(opened, ctx, { cutLines: false }), shape, {
        onElement: (el, line) => addJsonSeries(el, line, c),
        onMeta: (k, v) => {
          meta[k] = v;
        },
        onBadElement: skipBadJson(c, 'series'),
      });
    } catch (e) {
      if (!(e instanceof JsonSplitError)) throw e;
      const kept = damagedJson(path, e, c);
      if (!kept) throw new InputError(path, `is not valid JSON: ${e.message}. ${AGAIN}`);
      result = { lines: e.line, elements: c.names.length, complete: false };
      damaged = kept;
    }
    if (meta.status === 'error')
      throw new InputError(
        path,
        `holds a Prometheus error, not data: ${`${String(meta.errorType ?? '')} ${String(meta.error ?? '')}`.trim().slice(0, 300)}. Fix the query (or shorten its range) and export again`,
      );
    if (meta.resultType && meta.resultType !== 'matrix' && meta.resultType !== 'vector')
      throw new InputError(path, `holds a ${String(meta.resultType)} result; export a range query (matrix)`);
    c.lines = result.lines;
    const warnings: string[] = damaged ? [damaged] : [];
    if (!result.complete && !damaged)
      warnings.push(`${path}: the JSON ends early (cut file?); kept the ${result.elements} series read`);
    if (Array.isArray(meta.warnings))
      for (const w of meta.warnings.slice(0, 5)) warnings.push(`${path}: Prometheus warned: ${String(w)}`);
    // Prometheus 3 adds annotations of level info (a PromQL hint, e.g. a counter not ending in _total).
    if (Array.isArray(meta.infos))
      for (const w of meta.infos.slice(0, 5)) warnings.push(`${path}: Prometheus noted: ${String(w)}`);
    if (c.facts.histogramSeries)
      warnings.push(
        `${path}: ${c.facts.histogramSeries} series hold native histograms, which are not memory metrics; skipped`,
      );
    return toDataset([partOf(c)], {
      path,
      format: 'prometheus-json',
      warnings,
      details: {
        variant:
          shape === 'envelope'
            ? 'query_range envelope'
            : shape === 'array'
              ? 'bare array (promtool -o json, jq)'
              : 'series objects',
        ...(meta.resultType ? { resultType: meta.resultType } : {}),
        entries: result.elements,
      },
    });
  },
};
export default importer;

const AGAIN = 'Export it again (was the file cut, or edited by hand?)';

/**
 * The warning for JSON that breaks off into damage after some series were read (they are kept),
 * or undefined when nothing was read before it.
 */
export function damagedJson(path: string, e: JsonSplitError, c: Collector): string | undefined {
  if (!c.rows.some((r) => r.n > 0)) return undefined;
  return `${path}:${e.line}: the JSON is damaged here (${e.message}); kept the ${c.names.length} series read before it. ${AGAIN}`;
}

/** The JSON shape from the first bytes; null when it is not Prometheus API JSON. */
export function shapeOf(head: string): JsonShape | null {
  const s = head.trimStart().slice(0, 4096);
  if (s.startsWith('{')) {
    // Prometheus writes status first; `jq -S` sorts the keys (data, error, errorType, infos…).
    if (/^\{\s*"(status|data|error|errorType|warnings|infos)"\s*:/.test(s)) return 'envelope';
    // One Prometheus series object per entry (not VictoriaMetrics' values+timestamps lines).
    if (/^\{\s*"metric"\s*:/.test(s) && !/"timestamps"\s*:/.test(s) && /"values?"\s*:\s*\[/.test(s))
      return 'sequence';
    return null;
  }
  if (s.startsWith('[')) {
    const rest = s.slice(1).trimStart();
    if (rest === '' || rest.startsWith(']') || /^\{\s*"metric"\s*:/.test(rest)) return 'array';
  }
  return null;
}
