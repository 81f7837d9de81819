import { jsonValue } from '../text/number.js';
import { epochToMs } from '../text/time.js';
import type { Collector } from './collector.js';

/**
 * One series object of a JSON export into the collector:
 * - Prometheus matrix `{"metric":{…},"values":[[<unix s>,"<value>"],…]}` (values are strings,
 *   `"NaN"`, `"+Inf"`), or vector `{"metric":{…},"value":[t,"v"]}`;
 * - VictoriaMetrics export `{"metric":{…},"values":[v,…],"timestamps":[ms,…]}` (values are
 *   numbers, `null` for NaN since v1.77, `"Infinity"`); one series may span several lines.
 * Native histograms (`histograms`) are not memory metrics; they are counted and skipped.
 */
export function addJsonSeries(el: unknown, line: number, out: Collector): void {
  if (!el || typeof el !== 'object' || Array.isArray(el)) {
    out.bad.add(
      'entry',
      line,
      'an entry that is not a series object was skipped',
      'entries that are not series were skipped',
    );
    return;
  }
  const o = el as {
    metric?: unknown;
    values?: unknown;
    value?: unknown;
    timestamps?: unknown;
    histograms?: unknown;
  };
  const metric = o.metric && typeof o.metric === 'object' ? (o.metric as Record<string, unknown>) : null;
  if (!metric) {
    out.bad.add(
      'entry',
      line,
      'a series without "metric" was skipped',
      'entries that are not series were skipped',
    );
    return;
  }
  const labels: Record<string, string> = {};
  let name = '';
  for (const [k, v] of Object.entries(metric)) {
    if (typeof v !== 'string' || v === '') continue;
    if (k === '__name__') name = v;
    else labels[k] = v;
  }
  const id = out.series(name, labels);
  if (o.histograms !== undefined)
    out.fact('histogramSeries', ((out.facts.histogramSeries as number) ?? 0) + 1);
  if (Array.isArray(o.timestamps)) {
    const ts = o.timestamps;
    const vs = Array.isArray(o.values) ? o.values : [];
    if (vs.length !== ts.length)
      out.bad.add(
        'length',
        line,
        `${describe(name, labels)}: ${vs.length} values for ${ts.length} timestamps; the extra ones were skipped`,
        'series with unequal values and timestamps were cut to the shorter',
      );
    const n = Math.min(vs.length, ts.length);
    for (let i = 0; i < n; i++) {
      const t = ts[i];
      const v = jsonValue(vs[i]);
      if (typeof t !== 'number' || v === undefined) {
        badSample(out, line, name, labels, [t, vs[i]]);
        continue;
      }
      out.take(id, epochToMs(t), v, line);
    }
    return;
  }
  const points = Array.isArray(o.values) ? o.values : Array.isArray(o.value) ? [o.value] : [];
  for (const p of points) {
    if (!Array.isArray(p) || p.length < 2) {
      badSample(out, line, name, labels, p);
      continue;
    }
    const t = typeof p[0] === 'number' ? p[0] : typeof p[0] === 'string' ? Number(p[0]) : Number.NaN;
    const v = jsonValue(p[1]);
    if (!Number.isFinite(t) || v === undefined) {
      badSample(out, line, name, labels, p);
      continue;
    }
    out.take(id, epochToMs(t), v, line);
  }
}

function badSample(
  out: Collector,
  line: number,
  name: string,
  labels: Record<string, string>,
  p: unknown,
): void {
  out.bad.add(
    'sample',
    line,
    `${describe(name, labels)}: sample ${JSON.stringify(p)?.slice(0, 60)} is not [time, value]; skipped`,
    'samples that are not [time, value] were skipped',
  );
}

function describe(name: string, labels: Record<string, string>): string {
  const l = Object.entries(labels)
    .slice(0, 3)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${name}{${l}${Object.keys(labels).length > 3 ? ',…' : ''}}`;
}

/** The splitter's onBadElement for an importer whose entries are `what`s (a series, a line). */
export function skipBadJson(out: Collector, what: string): (line: number, msg: string) => void {
  return (line, msg) =>
    out.bad.add(
      'json',
      line,
      `a ${what} that is not valid JSON (${msg}) was skipped`,
      `${what === 'series' ? what : `${what}s`} that are not valid JSON were skipped`,
    );
}
