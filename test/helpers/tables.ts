import { expect } from 'vitest';
import type { MemModel } from '../../src/model/model.js';
import type { SampleTable } from '../../src/model/samples.js';

/** Element-wise identity (NaN equals NaN, every bit of every value the same). */
function sameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, `${what}: length`).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect(`${what}[${i}] = ${a[i]}`).toBe(`${what}[${i}] = ${b[i]}`);
  }
}

/** Two sample tables hold the same series, fields, rows and values, in the same order. */
export function expectSameTable(a: SampleTable, b: SampleTable): void {
  expect(a.series).toEqual(b.series);
  expect(a.fields).toEqual(b.fields);
  expect(a.length).toBe(b.length);
  sameArray(a.seriesOf, b.seriesOf, 'seriesOf');
  sameArray(a.t, b.t, 't');
  sameArray(a.rowStart, b.rowStart, 'rowStart');
  a.fields.forEach((f, i) => {
    sameArray(a.columns[i], b.columns[i], f);
  });
}

/**
 * Two models have the same entities (identity, rows) and the same frame, value for value.
 * `sources` (the input paths) is left out when the same capture was read from two places.
 */
export function expectSameFrame(a: MemModel, b: MemModel, opts: { ignoreSources?: boolean } = {}): void {
  const ents = (m: MemModel) =>
    opts.ignoreSources ? m.entities.map((e) => ({ ...e, sources: [] })) : m.entities;
  expect(ents(a)).toEqual(ents(b));
  expect(Object.keys(a.columns).sort()).toEqual(Object.keys(b.columns).sort());
  sameArray(a.t, b.t, 'frame t');
  for (const [name, col] of Object.entries(a.columns)) {
    sameArray(col!, b.columns[name as keyof typeof b.columns]!, `frame ${name}`);
  }
  expect(a.frame.numRows()).toBe(b.frame.numRows());
  expect(a.frame.columnNames()).toEqual(b.frame.columnNames());
}

/**
 * The same samples whatever the order series and fields were first met in (a folder is walked
 * in name order, an archive in the order it was written): per series key and field name, the
 * same times and values.
 */
export function expectSameSamples(a: SampleTable, b: SampleTable): void {
  expect([...a.series].sort()).toEqual([...b.series].sort());
  expect([...a.fields].sort()).toEqual([...b.fields].sort());
  expect(a.length).toBe(b.length);
  for (let sa = 0; sa < a.series.length; sa++) {
    const sb = b.series.indexOf(a.series[sa]);
    const ra = a.rowStart[sa];
    const rb = b.rowStart[sb];
    const n = a.rowStart[sa + 1] - ra;
    expect(b.rowStart[sb + 1] - rb, `${a.series[sa]}: rows`).toBe(n);
    sameArray(a.t.subarray(ra, ra + n), b.t.subarray(rb, rb + n), `${a.series[sa]} t`);
    a.fields.forEach((f, fa) => {
      const fb = b.fields.indexOf(f);
      sameArray(
        a.columns[fa].subarray(ra, ra + n),
        b.columns[fb].subarray(rb, rb + n),
        `${a.series[sa]} ${f}`,
      );
    });
  }
}

/** The same entities and per-entity frame rows, whatever their order. */
export function expectSameEntities(a: MemModel, b: MemModel): void {
  const byKey = (m: MemModel) => new Map(m.entities.map((e) => [e.key, e]));
  const ea = byKey(a);
  const eb = byKey(b);
  expect([...ea.keys()].sort()).toEqual([...eb.keys()].sort());
  expect(Object.keys(a.columns).sort()).toEqual(Object.keys(b.columns).sort());
  for (const [key, x] of ea) {
    const y = eb.get(key)!;
    const strip = (e: typeof x) => ({
      ...e,
      index: 0,
      parent: 0,
      rowStart: 0,
      rowEnd: e.rowEnd - e.rowStart,
      sources: [],
    });
    expect(strip(x)).toEqual(strip(y));
    sameArray(a.t.subarray(x.rowStart, x.rowEnd), b.t.subarray(y.rowStart, y.rowEnd), `${key} t`);
    for (const [name, col] of Object.entries(a.columns)) {
      const other = b.columns[name as keyof typeof b.columns]!;
      sameArray(col!.subarray(x.rowStart, x.rowEnd), other.subarray(y.rowStart, y.rowEnd), `${key} ${name}`);
    }
  }
}
