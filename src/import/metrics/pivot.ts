import type { SampleTable } from '../../model/samples.js';
import type { RowChunk } from './collector.js';
import { CHUNK_BITS } from './collector.js';

const MASK = (1 << CHUNK_BITS) - 1;
// Above this many sorted runs in one series a comparison sort beats a k-way merge.
const MAX_MERGE_RUNS = 16;

export interface PivotInput {
  chunks: RowChunk[];
  /** Raw series id → output series id (-1 drops the samples). */
  seriesOf: Int32Array;
  /** Raw series id → field id. */
  fieldOf: Int32Array;
  series: string[];
  fields: string[];
}

/**
 * Long samples (raw series, t, v) → the SampleTable: one row per (series, t), one column per
 * field. Works on integer ids only: a counting sort groups sample positions by output series,
 * then each group is put in time order by merging its sorted runs (one run per metric of a
 * series-major export; already one run for a time-major one), and equal times become one row.
 * A second value for the same (series, t, field) counts as a duplicate; the later one wins.
 */
export function pivot(input: PivotInput): { table: SampleTable; duplicates: number } {
  const { chunks, seriesOf, fieldOf, series, fields } = input;
  const nSeries = series.length;
  // 1. count samples per output series
  const start = new Int32Array(nSeries + 1);
  for (const c of chunks) {
    const s = c.series;
    for (let i = 0; i < c.n; i++) {
      const o = seriesOf[s[i]];
      if (o >= 0) start[o + 1]++;
    }
  }
  for (let k = 0; k < nSeries; k++) start[k + 1] += start[k];
  const total = start[nSeries];
  // 2. sample positions (chunk << BITS | index) grouped by series, in arrival order
  const order = new Int32Array(total);
  const fill = start.slice(0, nSeries);
  chunks.forEach((c, ci) => {
    const s = c.series;
    const base = ci << CHUNK_BITS;
    for (let i = 0; i < c.n; i++) {
      const o = seriesOf[s[i]];
      if (o >= 0) order[fill[o]++] = base | i;
    }
  });
  const tOf = (g: number) => chunks[g >>> CHUNK_BITS].t[g & MASK];
  // 3. time order within each series; count distinct times (rows)
  const rowStart = new Int32Array(nSeries + 1);
  let scratch = new Int32Array(1024);
  const runStarts: number[] = [];
  for (let k = 0; k < nSeries; k++) {
    const a = start[k];
    const b = start[k + 1];
    runStarts.length = 0;
    runStarts.push(a);
    for (let i = a + 1; i < b; i++) if (tOf(order[i]) < tOf(order[i - 1])) runStarts.push(i);
    if (runStarts.length > 1) {
      if (scratch.length < b - a) scratch = new Int32Array(Math.max(b - a, scratch.length * 2));
      if (runStarts.length <= MAX_MERGE_RUNS) mergeRuns(order, a, b, runStarts, scratch, tOf);
      else sortByTime(order, a, b, tOf);
    }
    let rows = 0;
    let prev = Number.NaN;
    for (let i = a; i < b; i++) {
      const t = tOf(order[i]);
      if (t !== prev) rows++;
      prev = t;
    }
    rowStart[k + 1] = rowStart[k] + rows;
  }
  // 4. fill the table
  const length = rowStart[nSeries];
  const outSeries = new Int32Array(length);
  const outT = new Float64Array(length);
  const columns = fields.map(() => new Float64Array(length).fill(Number.NaN));
  let duplicates = 0;
  let row = -1;
  for (let k = 0; k < nSeries; k++) {
    let prev = Number.NaN;
    for (let i = start[k]; i < start[k + 1]; i++) {
      const g = order[i];
      const c = chunks[g >>> CHUNK_BITS];
      const j = g & MASK;
      const t = c.t[j];
      if (t !== prev) {
        row++;
        outSeries[row] = k;
        outT[row] = t;
        prev = t;
      }
      const col = columns[fieldOf[c.series[j]]];
      if (!Number.isNaN(col[row])) duplicates++;
      col[row] = c.v[j];
    }
  }
  return {
    table: { series, fields, length, seriesOf: outSeries, t: outT, columns, rowStart },
    duplicates,
  };
}

/** k-way merge of sorted runs of order[a..b) in place; earlier runs first on equal times. */
function mergeRuns(
  order: Int32Array,
  a: number,
  b: number,
  runStarts: number[],
  scratch: Int32Array,
  tOf: (g: number) => number,
): void {
  const k = runStarts.length;
  const head = runStarts.slice();
  const end = runStarts.slice(1);
  end.push(b);
  for (let out = 0; out < b - a; out++) {
    let best = -1;
    let bestT = Number.POSITIVE_INFINITY;
    for (let r = 0; r < k; r++) {
      if (head[r] >= end[r]) continue;
      const t = tOf(order[head[r]]);
      if (best < 0 || t < bestT) {
        best = r;
        bestT = t;
      }
    }
    scratch[out] = order[head[best]++];
  }
  order.set(scratch.subarray(0, b - a), a);
}

function sortByTime(order: Int32Array, a: number, b: number, tOf: (g: number) => number): void {
  // Positions increase with arrival, so ties keep arrival order and the later value wins.
  const seg = Array.from(order.subarray(a, b));
  seg.sort((x, y) => tOf(x) - tOf(y) || x - y);
  order.set(seg, a);
}
