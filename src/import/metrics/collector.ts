/**
 * What a metrics parser produces, in the shape the hot loop can afford: raw series (a metric name
 * and its labels, registered once) and, per raw series, its samples as two growing typed arrays
 * (time, value). A parser running in a worker thread fills its own collector and sends the arrays
 * back without copying; the main thread merges collectors and pivots (see pivot.ts), which for
 * the usual export (every metric of a container on the same timestamps) is a few memory copies.
 */
export interface SeriesRows {
  t: Float64Array;
  v: Float64Array;
  n: number;
}

import { iso } from '../../util/time.js';
import { EARLIEST_MS, FUTURE_SLACK_MS } from '../time-range.js';
import { baseMetric, isKnownMetricName } from './normalise.js';

/** Label under which a parser stores a series name it could not read as metric{labels}. */
export const OPAQUE_LABEL = '__series__';
/** Field of samples whose series has no metric name (opaque names, `sum by (pod)` results). */
export const UNNAMED_FIELD = '(no metric name)';

/** A problem found in the input, by kind: how many, and the first few with their line. */
export interface BadKind {
  count: number;
  summary: string;
  samples: { line: number; text: string }[];
}

const SAMPLES_PER_KIND = 5;

export class BadInput {
  readonly kinds = new Map<string, BadKind>();

  /** `line` is 1-based (0 when a line makes no sense for the format, e.g. a JSON entry). */
  add(kind: string, line: number, text: string, summary: string): void {
    let k = this.kinds.get(kind);
    if (!k) {
      k = { count: 0, summary, samples: [] };
      this.kinds.set(kind, k);
    }
    k.count++;
    if (k.samples.length < SAMPLES_PER_KIND) k.samples.push({ line, text });
  }

  get total(): number {
    let n = 0;
    for (const k of this.kinds.values()) n += k.count;
    return n;
  }

  /** Folds another tracker in, its line numbers shifted by `lineOffset`. */
  merge(other: Iterable<[string, BadKind]>, lineOffset: number): void {
    for (const [kind, o] of other) {
      let k = this.kinds.get(kind);
      if (!k) {
        k = { count: 0, summary: o.summary, samples: [] };
        this.kinds.set(kind, k);
      }
      k.count += o.count;
      for (const s of o.samples)
        if (k.samples.length < SAMPLES_PER_KIND)
          k.samples.push({ line: s.line ? s.line + lineOffset : 0, text: s.text });
    }
  }
}

/** Metrics memlens reads whose samples are byte sizes or counts: never negative, never infinite… */
const FINITE = 1;
/** …except limits, where +Inf means "no limit". */
const LIMIT = 2;
const LIMIT_METRICS = new Set([
  'container_spec_memory_limit_bytes',
  'kube_pod_container_resource_limits',
  'kube_pod_container_resource_requests',
  'kube_pod_container_resource_limits_memory_bytes',
  'kube_pod_container_resource_requests_memory_bytes',
]);

export class Collector {
  readonly names: string[] = [];
  readonly labels: Record<string, string>[] = [];
  private readonly index = new Map<string, number>();
  /** Per raw series: what its values may be (0 unknown metric: anything). */
  private readonly guard: number[] = [];
  /** Latest sample time taken: this machine's clock, plus a day. */
  readonly latest = Date.now() + FUTURE_SLACK_MS;
  readonly rows: SeriesRows[] = [];
  readonly bad = new BadInput();
  /** Samples whose value was NaN or missing: no sample, by Prometheus' own rules. */
  empty = 0;
  /** Line of the first of them (0 when unknown). */
  emptyLine = 0;
  /** Lines (or entries) read, for line numbers across worker ranges. */
  lines = 0;
  /** Format facts for `inspect` (variant, time kinds, lossy values…). */
  readonly facts: Record<string, unknown> = {};

  /** Id of the raw series (name, labels), registered on first sight. */
  series(name: string, labels: Record<string, string>): number {
    const key = seriesKey(name, labels);
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.labels.push(labels);
      // Room for samples is made on the first one: a series may never get any.
      this.rows.push({ t: new Float64Array(0), v: new Float64Array(0), n: 0 });
      this.guard.push(
        LIMIT_METRICS.has(baseMetric(name)) ? LIMIT : name && isKnownMetricName(name) ? FINITE : 0,
      );
      this.index.set(key, id);
    }
    return id;
  }

  /**
   * Adds a sample read at `line` (0 when the format has no lines) after the checks every format
   * shares: a time before 2000 or in the future, and a negative or infinite value of a metric
   * that is a size or a count, are reported with their line and skipped. Returns false then.
   */
  take(series: number, t: number, v: number, line: number, timeFromInput = true): boolean {
    // A time memlens chose itself (a snapshot's, for samples without one) is not the input's to blame.
    if (timeFromInput && !(t >= EARLIEST_MS && t <= this.latest)) {
      this.bad.add(
        'time-range',
        line,
        `${this.describe(series)}: time ${iso(t) ?? t} is ${t < EARLIEST_MS ? 'before the year 2000' : "in the future (after this machine's clock)"}; sample skipped. Check the clock of the host that wrote it, and that the time column holds times`,
        'samples at impossible times were skipped',
      );
      return false;
    }
    if (Number.isNaN(v)) {
      this.empty++;
      if (this.emptyLine === 0) this.emptyLine = line;
      return true;
    }
    const g = this.guard[series];
    if (g && (v < 0 || (v === Number.POSITIVE_INFINITY && g === FINITE))) {
      this.bad.add(
        'impossible',
        line,
        `${this.describe(series)}: value ${v} at ${iso(t)} is ${v < 0 ? 'negative' : 'infinite'}, which ${this.names[series]} cannot be; sample skipped`,
        'negative or infinite sizes and counts were skipped',
      );
      return false;
    }
    this.add(series, t, v);
    return true;
  }

  /** True when `take` would add (t, v) to the series without a word: the fast paths' test. */
  plain(t: number, v: number): boolean {
    return t >= EARLIEST_MS && t <= this.latest && v >= 0 && v !== Number.POSITIVE_INFINITY;
  }

  /** `name{a="b",…}` with the first few labels, for warnings. */
  describe(series: number): string {
    const labels = this.labels[series];
    const keys = Object.keys(labels).sort();
    const shown = keys
      .slice(0, 3)
      .map((k) => `${k}="${labels[k].length > 40 ? `${labels[k].slice(0, 40)}…` : labels[k]}"`)
      .join(',');
    return `${this.names[series] || '(no name)'}{${shown}${keys.length > 3 ? ',…' : ''}}`;
  }

  add(series: number, t: number, v: number): void {
    if (Number.isNaN(v)) {
      this.empty++;
      return;
    }
    const s = this.rows[series];
    if (s.n === s.t.length) this.grow(s, series);
    s.t[s.n] = t;
    s.v[s.n++] = v;
  }

  /** The series that got its first sample last (-1 before any). */
  private lastStarted = -1;

  private grow(s: SeriesRows, series: number): void {
    let cap: number;
    if (s.t.length === 0) {
      // A series' rows usually come together and the series of one export are about as long, so
      // the one started before is the best first size: no doubling, no copies, no garbage.
      cap = Math.max(16, this.lastStarted >= 0 ? this.rows[this.lastStarted].n : 0);
      this.lastStarted = series;
    } else cap = s.t.length * 2;
    const t = new Float64Array(cap);
    t.set(s.t.subarray(0, s.n));
    s.t = t;
    const v = new Float64Array(cap);
    v.set(s.v.subarray(0, s.n));
    s.v = v;
  }

  /** Records that the input used a kind of thing worth telling (counted). */
  fact(key: string, value: unknown = true): void {
    this.facts[key] = value;
  }
}

/** forEachLine's report of a line too long to read, as a bad-input entry of the collector. */
export function tooLong(c: Collector): (line: number) => void {
  return (line) =>
    c.bad.add(
      'too-long',
      line,
      'this line is longer than 64 MiB, which no export line is (binary data?); skipped',
      'lines too long to read were skipped',
    );
}

/**
 * The bad-input entry for the last line endedPart kept from the parser (`text`, if one was), once
 * the collector has counted the lines before it.
 */
export function reportCutLine(c: Collector, text: string | undefined): void {
  if (text === undefined) return;
  // its end is where it was cut
  const shown = text.length > 100 ? `…${text.slice(-100)}` : text;
  c.bad.add(
    'cut-line',
    c.lines + 1,
    `the file ends inside this line (no line end: cut short?), so it was not read, as a number cut short would read as a smaller one: ${JSON.stringify(shown)}. ` +
      'Copy the file again completely; if the line is whole, end the file with a newline',
    'last lines without a line end were not read',
  );
}

/** A stable key for (name, labels), independent of label order. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  let s = name;
  for (const k of keys) s += `\u0000${k}\u0001${labels[k]}`;
  return s;
}

/** The plain-data view of a collector, as toDataset and worker messages take it. */
export function partOf(c: Collector) {
  return {
    names: c.names,
    labels: c.labels,
    rows: c.rows,
    bad: [...c.bad.kinds],
    empty: c.empty,
    emptyLine: c.emptyLine,
    lines: c.lines,
    facts: c.facts,
  };
}
