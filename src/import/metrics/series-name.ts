import { unescapeGo } from '../text/escape.js';
import { isKnownMetricName } from './normalise.js';

/**
 * How label values in a name are written: Go-quoted (promtool, exposition, Grafana's backend
 * Verbose names), as they are (Grafana 6–7 legacy exports), or Grafana's mix, told by the shape.
 */
export type Escaping = 'go' | 'none' | 'grafana';

/** A series as a metric name and its labels (`__name__` taken out). */
export interface SeriesName {
  name: string;
  labels: Record<string, string>;
}

const METRIC_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /[a-zA-Z_][a-zA-Z0-9_]*/y;
/** `","` then a label name and `="`: a value's end and the next label with no space between. */
const LEGACY_SEPARATOR = /",[a-zA-Z_][a-zA-Z0-9_]*="/;

/**
 * Parses a series name as Grafana, promtool and Prometheus write it:
 * `metric{a="v", b="v"}` (Go `%q` values, `", "` separators: backend Prometheus, promtool),
 * `metric{a="v",b="v"}` (legacy frontend, exposition), `{__name__="m", a="v"}` and `{a="v"}`
 * (Grafana auto legend, promtool tsdb dump), and a bare `metric`. Returns null for anything
 * else (a custom legend such as `app-7d9c`): the caller keeps it as an opaque name.
 */
export function parseSeriesName(text: string, escaping: Escaping = 'go'): SeriesName | null {
  const s = text.trim();
  const brace = s.indexOf('{');
  if (brace < 0) return METRIC_RE.test(s) ? { name: s, labels: {} } : null;
  const name = s.slice(0, brace).trim();
  if (name && !METRIC_RE.test(name)) return null;
  if (!s.endsWith('}')) return null;
  const quoted =
    escaping === 'go' ||
    // Grafana's backend names (`metric{a="v", b="v"}`) are Go-quoted; the frontend's `{…}` auto
    // legend and the legacy `metric{a="v",b="v"}` keep values as they are (formats.md §1.A).
    (escaping === 'grafana' && name !== '' && !LEGACY_SEPARATOR.test(s.slice(brace)));
  const labels = parseLabelBody(s, brace + 1, s.length - 1, quoted);
  if (!labels) return null;
  let metric = name;
  if ('__name__' in labels) {
    metric ||= labels.__name__;
    delete labels.__name__;
  }
  return { name: metric, labels };
}

/** Parses `a="v", b="v"` between [from, to) of `s`; null when malformed. */
export function parseLabelBody(
  s: string,
  from: number,
  to: number,
  quoted = true,
): Record<string, string> | null {
  const labels: Record<string, string> = {};
  let i = from;
  const skipSpace = () => {
    while (i < to && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= to) return labels;
    LABEL_RE.lastIndex = i;
    const m = LABEL_RE.exec(s);
    if (!m) return null;
    const key = m[0];
    i += key.length;
    skipSpace();
    if (s[i] !== '=') return null;
    i++;
    skipSpace();
    if (s[i] !== '"') return null;
    let j = i + 1;
    let escaped = false;
    while (j < to && s[j] !== '"') {
      if (s[j] === '\\') {
        escaped = true;
        j++;
      }
      j++;
    }
    if (j >= to) return null;
    const raw = s.slice(i + 1, j);
    labels[key] = escaped && quoted ? unescapeGo(raw) : raw;
    i = j + 1;
    skipSpace();
    if (i >= to) return labels;
    if (s[i] !== ',') return null;
    i++;
  }
}

/** The canonical text of a label set: sorted, `k="v"` with `\` `"` and newlines escaped. */
export function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}="${escapeValue(labels[k])}"`).join(',')}}`;
}

function escapeValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * A series name from a header or a legend: metric{labels} with empty labels dropped, or null when
 * it names no series memlens can read (a custom legend, or a bare word that is no known metric).
 */
export function readSeriesName(text: string, escaping: Escaping = 'go'): SeriesName | null {
  const parsed = parseSeriesName(text, escaping);
  if (!parsed) return null;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.labels)) if (v !== '') labels[k] = v;
  if (Object.keys(labels).length === 0 && !isKnownMetricName(parsed.name)) return null;
  return { name: parsed.name, labels };
}
