import type { SampleTable } from '../../model/samples.js';
import type { SeriesRows } from './collector.js';

export interface PivotInput {
  /** Per raw series: its sample segments, in input order (several when split across threads). */
  segments: SeriesRows[][];
  /** Raw series id → output series id (-1 drops the samples). */
  seriesOf: Int32Array;
  /** Raw series id → field id. */
  fieldOf: Int32Array;
  series: string[];
  fields: string[];
}

interface Member {
  field: number;
  t: Float64Array;
  v: Float64Array;
  n: number;
}

interface Plan {
  rows: number;
  /** Fast path: every member has the same strictly increasing times and its own field. */
  same?: Member[];
  /** General path: samples merged in time order (member order breaks ties). */
  t?: Float64Array;
  f?: Int32Array;
  v?: Float64Array;
}

/**
 * Per-series samples → the SampleTable: one row per (series, t), one column per field. The
 * usual export gives every metric of a container on the same timestamps (step-aligned range
 * queries, one scrape for all cAdvisor metrics): then a series' rows are its members' times and
 * each column is one memory copy. Otherwise the members' samples are merged in time order and
 * equal times share a row. A second value for the same (series, t, field) counts as a duplicate;
 * the later one (in input order) wins.
 */
export function pivot(input: PivotInput): {
  table: SampleTable;
  duplicates: number;
  /** The first repeated sample, for the warning: output series, time and field. */
  firstDuplicate?: { series: number; t: number; field: number };
  samples: number;
} {
  const { segments, seriesOf, fieldOf, series, fields } = input;
  const members: Member[][] = series.map(() => []);
  segments.forEach((segs, raw) => {
    const o = seriesOf[raw];
    if (o < 0) return;
    const m = sortedMember(segs, fieldOf[raw]);
    if (m.n > 0) members[o].push(m);
  });
  let duplicates = 0;
  let firstDuplicate: { series: number; t: number; field: number } | undefined;
  const plans = members.map((ms): Plan => {
    if (ms.length === 0) return { rows: 0 };
    if (sameTimes(ms)) return { rows: ms[0].n, same: ms };
    const merged = mergeMembers(ms);
    let rows = 0;
    for (let i = 0; i < merged.t.length; i++) if (i === 0 || merged.t[i] !== merged.t[i - 1]) rows++;
    return { rows, ...merged };
  });
  const rowStart = new Int32Array(series.length + 1);
  plans.forEach((p, k) => {
    rowStart[k + 1] = rowStart[k] + p.rows;
  });
  const length = rowStart[series.length];
  const seriesOfRow = new Int32Array(length);
  const t = new Float64Array(length);
  // Not filled up front: on the usual export every cell is written once; the rest is set to NaN
  // per series below, which spares a pass over every column.
  const columns = fields.map(() => new Float64Array(length));
  let samples = 0;
  plans.forEach((p, k) => {
    const at = rowStart[k];
    const end = at + p.rows;
    seriesOfRow.fill(k, at, end);
    if (p.same) {
      t.set(p.same[0].t.subarray(0, p.rows), at);
      const written = new Set<number>();
      for (const m of p.same) {
        columns[m.field].set(m.v.subarray(0, p.rows), at);
        written.add(m.field);
      }
      samples += p.rows * p.same.length;
      columns.forEach((c, f) => {
        if (!written.has(f)) c.fill(Number.NaN, at, end);
      });
      return;
    }
    for (const c of columns) c.fill(Number.NaN, at, end);
    if (!p.t) return;
    samples += p.t.length;
    let row = at - 1;
    for (let i = 0; i < p.t.length; i++) {
      if (i === 0 || p.t[i] !== p.t[i - 1]) {
        row++;
        t[row] = p.t[i];
      }
      const col = columns[p.f![i]];
      if (!Number.isNaN(col[row])) {
        duplicates++;
        firstDuplicate ??= { series: k, t: t[row], field: p.f![i] };
      }
      col[row] = p.v![i];
    }
  });
  return {
    table: { series, fields, length, seriesOf: seriesOfRow, t, columns, rowStart },
    duplicates,
    firstDuplicate,
    samples: samples - duplicates,
  };
}

/** One member from its segments, sorted by time (stable: equal times keep input order). */
function sortedMember(segs: SeriesRows[], field: number): Member {
  let t: Float64Array;
  let v: Float64Array;
  let n: number;
  if (segs.length === 1) ({ t, v, n } = segs[0]);
  else {
    n = segs.reduce((a, s) => a + s.n, 0);
    t = new Float64Array(n);
    v = new Float64Array(n);
    let at = 0;
    for (const s of segs) {
      t.set(s.t.subarray(0, s.n), at);
      v.set(s.v.subarray(0, s.n), at);
      at += s.n;
    }
  }
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = t[i] >= t[i - 1];
  if (!sorted) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => t[a] - t[b] || a - b);
    const t2 = new Float64Array(n);
    const v2 = new Float64Array(n);
    idx.forEach((j, i) => {
      t2[i] = t[j];
      v2[i] = v[j];
    });
    t = t2;
    v = v2;
  }
  return { field, t, v, n };
}

function sameTimes(ms: Member[]): boolean {
  const ref = ms[0];
  const n = ref.n;
  for (let i = 1; i < n; i++) if (!(ref.t[i] > ref.t[i - 1])) return false;
  const seen = new Set<number>();
  for (const m of ms) {
    if (m.n !== n || seen.has(m.field)) return false;
    seen.add(m.field);
    if (m === ref) continue;
    const t = m.t;
    for (let i = 0; i < n; i++) if (t[i] !== ref.t[i]) return false;
  }
  return true;
}

/** k-way merge of sorted members; earlier members first on equal times. */
function mergeMembers(ms: Member[]): { t: Float64Array; f: Int32Array; v: Float64Array } {
  const total = ms.reduce((a, m) => a + m.n, 0);
  const t = new Float64Array(total);
  const f = new Int32Array(total);
  const v = new Float64Array(total);
  if (ms.length > 16) {
    // Many members: one comparison sort beats scanning every head for every sample.
    const src: [number, number][] = [];
    ms.forEach((m, r) => {
      for (let i = 0; i < m.n; i++) src.push([r, i]);
    });
    src.sort((a, b) => ms[a[0]].t[a[1]] - ms[b[0]].t[b[1]] || a[0] - b[0] || a[1] - b[1]);
    src.forEach(([r, i], out) => {
      t[out] = ms[r].t[i];
      f[out] = ms[r].field;
      v[out] = ms[r].v[i];
    });
    return { t, f, v };
  }
  const head = new Int32Array(ms.length);
  for (let out = 0; out < total; out++) {
    let best = -1;
    let bestT = 0;
    for (let r = 0; r < ms.length; r++) {
      if (head[r] >= ms[r].n) continue;
      const x = ms[r].t[head[r]];
      if (best < 0 || x < bestT) {
        best = r;
        bestT = x;
      }
    }
    const m = ms[best];
    const i = head[best]++;
    t[out] = bestT;
    f[out] = m.field;
    v[out] = m.v[i];
  }
  return { t, f, v };
}
