/**
 * Raw samples as importers read them: one row per (series, time), one Float64 column per field
 * (a cgroup file or memory.stat key, a metric name). NaN means "not present in this sample".
 * Series and fields are interned to integer ids so the hot import loop never builds string keys.
 */
export interface SampleTable {
  /** Series keys (a cgroup path, a label set), indexed by series id. */
  readonly series: readonly string[];
  /** Field names, indexed by field id. */
  readonly fields: readonly string[];
  /** Row count. Rows are sorted by (series, t) and unique per (series, t). */
  readonly length: number;
  readonly seriesOf: Int32Array;
  readonly t: Float64Array;
  /** columns[fieldId][row] */
  readonly columns: readonly Float64Array[];
  /** First row of each series and one past its last (rowStart[s] .. rowStart[s + 1]). */
  readonly rowStart: Int32Array;
}

class Growable {
  data: Float64Array;
  constructor(capacity: number, fill = Number.NaN) {
    this.data = new Float64Array(capacity).fill(fill);
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < n) cap *= 2;
    const next = new Float64Array(cap).fill(Number.NaN);
    next.set(this.data);
    this.data = next;
  }
}

export class SampleTableBuilder {
  private readonly seriesIds = new Map<string, number>();
  private readonly series: string[] = [];
  private readonly fieldIds = new Map<string, number>();
  private readonly fields: string[] = [];
  private readonly rowsBySeries: Map<number, number>[] = [];
  private rowSeries = new Int32Array(1024);
  private rowT = new Float64Array(1024);
  private cols: Growable[] = [];
  private n = 0;
  /** (series, t) pairs seen more than once; later values overwrite earlier ones. */
  duplicates = 0;

  seriesId(key: string): number {
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      id = this.series.length;
      this.series.push(key);
      this.seriesIds.set(key, id);
      this.rowsBySeries.push(new Map());
    }
    return id;
  }

  fieldId(name: string): number {
    let id = this.fieldIds.get(name);
    if (id === undefined) {
      id = this.fields.length;
      this.fields.push(name);
      this.fieldIds.set(name, id);
      this.cols.push(new Growable(this.rowSeries.length));
    }
    return id;
  }

  /** The row for (series, t), created on first use. */
  row(series: number, t: number): number {
    const rows = this.rowsBySeries[series];
    let r = rows.get(t);
    if (r === undefined) {
      r = this.n++;
      if (r >= this.rowSeries.length) this.grow();
      this.rowSeries[r] = series;
      this.rowT[r] = t;
      rows.set(t, r);
    }
    return r;
  }

  /** Sets a value; a second value for the same cell counts as a duplicate and wins. */
  set(row: number, field: number, value: number): void {
    const col = this.cols[field];
    col.ensure(row + 1);
    if (!Number.isNaN(col.data[row])) this.duplicates++;
    col.data[row] = value;
  }

  has(series: number, t: number): boolean {
    return this.rowsBySeries[series]?.has(t) ?? false;
  }

  get rowCount(): number {
    return this.n;
  }

  private grow(): void {
    const cap = this.rowSeries.length * 2;
    const s = new Int32Array(cap);
    s.set(this.rowSeries);
    this.rowSeries = s;
    const t = new Float64Array(cap);
    t.set(this.rowT);
    this.rowT = t;
  }

  build(): SampleTable {
    const n = this.n;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const rs = this.rowSeries;
    const rt = this.rowT;
    order.sort((a, b) => rs[a] - rs[b] || rt[a] - rt[b]);
    const seriesOf = new Int32Array(n);
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      seriesOf[i] = rs[order[i]];
      t[i] = rt[order[i]];
    }
    const columns = this.cols.map((c) => {
      c.ensure(n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = c.data[order[i]];
      return out;
    });
    const rowStart = new Int32Array(this.series.length + 1);
    for (let i = 0; i < n; i++) rowStart[seriesOf[i] + 1]++;
    for (let s = 0; s < this.series.length; s++) rowStart[s + 1] += rowStart[s];
    return { series: this.series, fields: this.fields, length: n, seriesOf, t, columns, rowStart };
  }
}

/** The column of a field, or undefined when no sample had it. */
export function fieldColumn(table: SampleTable, name: string): Float64Array | undefined {
  const i = table.fields.indexOf(name);
  return i < 0 ? undefined : table.columns[i];
}
