import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Collector, partOf } from '../../../src/import/metrics/collector.js';
import type { LongLayout } from '../../../src/import/metrics/long-rows.js';
import {
  lineAligned,
  longLayoutFromHeader,
  longRowHandler,
  parseLongBody,
} from '../../../src/import/metrics/long-rows.js';
import { scanCsv } from '../../../src/import/text/csv.js';

/**
 * The long-CSV scanner reads most rows through fast paths (a run of rows repeating the series
 * read last, plain digits read in place, chunks re-cut at line ends). Whatever the bytes and
 * however they are cut into chunks, it must collect exactly what the plain RFC 4180 scanner and
 * the row handler's general path collect from the whole text at once.
 */

const DIALECT = { delimiter: 44, quote: 'rfc4180' } as const;

/** Column orders as exporters write them: time and value at the edges of the label cells. */
const HEADERS = [
  ['timestamp', '__name__', 'namespace', 'pod', 'container', 'value'],
  ['__name__', 'namespace', 'pod', 'container', 'value', 'timestamp'],
  ['timestamp', 'value', '__name__', 'namespace', 'pod'],
  // query_csv.py: the name apart from the labels, a key in two runs
  ['__name__', 'timestamp', 'value', 'pod', 'container'],
  // a key in three runs
  ['namespace', 'timestamp', 'pod', 'value', 'container'],
  // pandas' unnamed index column is neither key nor number: no fast path, same result
  ['', 'timestamp', '__name__', 'pod', 'container', 'value'],
];

const T0 = 1_700_000_000;

const timeCell = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 50 }).map((i) => String(T0 + 15 * i)) },
  fc.integer({ min: 0, max: 50 }).map((i) => String((T0 + 15 * i) * 1000)),
  fc.integer({ min: 0, max: 50 }).map((i) => `${T0 + 15 * i}.250`),
  fc.integer({ min: 0, max: 50 }).map((i) => new Date((T0 + 15 * i) * 1000).toISOString()),
  fc
    .integer({ min: 0, max: 50 })
    .map((i) => new Date((T0 + 15 * i) * 1000).toISOString().slice(0, 19).replace('T', ' ')),
  fc.constantFrom('', 'x', '0', '99', '12345678901234567890', '"1700000000"', '-5', '1e9'),
);

const valueCell = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 40 }).map(String) },
  fc.double({ min: 0, max: 1e12, noNaN: true }).map(String),
  fc.constantFrom(
    '',
    'NaN',
    '+Inf',
    '-1',
    '1.23456789e+08',
    '007',
    '"42"',
    '4 2',
    '999999999999999999',
    '0x10',
  ),
);

const label = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('shop', 'api-7d9c5b8f4-xx61v', 'application-1', 'container_memory_rss'),
  },
  fc.constantFrom('', 'a', '"quoted, with comma"', 'é€日', 'x\u0000y', 'has space'),
);

interface Row {
  labels: string[];
  time: string;
  value: string;
}

/** Rows mostly in runs of one series, as exports write them, with the odd series interleaved. */
const rowsOf = (width: number) =>
  fc
    .array(
      fc.record({
        labels: fc.array(label, { minLength: width - 2, maxLength: width - 2 }),
        run: fc.array(fc.record({ time: timeCell, value: valueCell }), { minLength: 1, maxLength: 30 }),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((series) => series.flatMap((s) => s.run.map((r): Row => ({ labels: s.labels, ...r }))));

function lineOf(header: string[], r: Row): string {
  let k = 0;
  return header
    .map((h) => (h === 'timestamp' ? r.time : h === 'value' ? r.value : h === '' ? String(k) : r.labels[k++]))
    .join(',');
}

/** Chunks of `text` of the given sizes, copied into one buffer refilled each time (as a worker reads). */
async function* refilled(text: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  const buf = Buffer.alloc(Math.max(...sizes));
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const n = Math.min(sizes[i % sizes.length], text.length - at);
    text.copy(buf, 0, at, at + n);
    at += n;
    yield buf.subarray(0, n);
    buf.fill(0x2a); // what a later read would leave there
  }
}

async function fast(text: Buffer, layout: LongLayout, sizes: number[]) {
  const c = new Collector();
  const lines = await parseLongBody(refilled(text, sizes), layout, c, 2);
  return { lines, part: summary(c) };
}

async function reference(text: Buffer, layout: LongLayout) {
  const c = new Collector();
  const handler = longRowHandler(layout, c);
  const lines = await scanCsv(
    (async function* () {
      yield text;
    })(),
    DIALECT,
    handler.onRecord,
    2,
  );
  c.lines += lines;
  return { lines, part: summary(c) };
}

function summary(c: Collector) {
  const p = partOf(c);
  return {
    ...p,
    rows: p.rows.map((r) => ({ t: [...r.t.subarray(0, r.n)], v: [...r.v.subarray(0, r.n)] })),
  };
}

describe('long CSV fast paths', () => {
  it('collect what the general scanner collects, for any bytes and any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HEADERS).chain((h) => fc.tuple(fc.constant(h), rowsOf(h.length))),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(undefined, 'Europe/Berlin'),
        fc.context(),
        async ([header, rows], crlf, finalNewline, sizes, tz, ctx) => {
          const layout = { ...longLayoutFromHeader(header, DIALECT)!, tz };
          const eol = crlf ? '\r\n' : '\n';
          let text = rows.map((r) => lineOf(header, r)).join(eol);
          if (finalNewline) text += eol;
          ctx.log(text);
          const bytes = Buffer.from(text);
          expect(await fast(bytes, layout, sizes)).toEqual(await reference(bytes, layout));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes a run of one series without the general path, and stops at the row that differs', async () => {
    const layout = longLayoutFromHeader(HEADERS[0], DIALECT)!;
    const c = new Collector();
    const handler = longRowHandler(layout, c);
    const line = (t: number, pod: string, v: string) => `${t},container_memory_rss,shop,${pod},app,${v}\n`;
    // The first row goes the general way and makes its series the one fastRun compares with.
    const first = Buffer.from(line(T0, 'api-1', '1'));
    const onRecordCsv = async (b: Buffer) =>
      scanCsv(
        (async function* () {
          yield b;
        })(),
        DIALECT,
        handler.onRecord,
      );
    await onRecordCsv(first);
    const run = Buffer.from(
      line(T0 + 15, 'api-1', '2') + line(T0 + 30, 'api-1', '3.5') + line(T0 + 45, 'api-2', '4'),
    );
    const stop = handler.fastRun(run, 0);
    expect(handler.taken).toBe(2);
    expect(run.toString('utf8', stop)).toBe(line(T0 + 45, 'api-2', '4'));
    const rows = c.rows[0];
    expect([...rows.t.subarray(0, rows.n)]).toEqual([T0, T0 + 15, T0 + 30].map((t) => t * 1000));
    expect([...rows.v.subarray(0, rows.n)]).toEqual([1, 2, 3.5]);
    // A negative value is not plain: the slow path reports it with its line.
    expect(handler.fastRun(Buffer.from(line(T0 + 60, 'api-1', '-1')), 0)).toBe(0);
    expect(handler.taken).toBe(0);
  });
});

describe('long CSV fast path in other layouts', () => {
  it('takes query_csv.py rows (name, time, value, labels) without the general path', async () => {
    const layout = longLayoutFromHeader(HEADERS[3], DIALECT)!;
    const c = new Collector();
    const handler = longRowHandler(layout, c);
    expect(handler.fast).toBe(true);
    const line = (t: number, v: number) => `container_memory_rss,${t},${v},api-1,app\r\n`;
    await scanCsv(
      (async function* () {
        yield Buffer.from(line(T0, 1));
      })(),
      DIALECT,
      handler.onRecord,
    );
    const run = Buffer.from(line(T0 + 15, 2) + line(T0 + 30, 3));
    expect(handler.fastRun(run, 0)).toBe(run.length);
    expect(handler.taken).toBe(2);
    expect([...c.rows[0].v.subarray(0, c.rows[0].n)]).toEqual([1, 2, 3]);
    // A pandas index column is neither key nor number: no fast path there.
    expect(longRowHandler(longLayoutFromHeader(HEADERS[5], DIALECT)!, new Collector()).fast).toBe(false);
  });
});

describe('lineAligned', () => {
  it('passes the same bytes on, cut at line ends where a line end is near', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'bc', '\n', 'd\r\n', 'x'.repeat(70_000)), { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 5 }),
        async (parts, sizes) => {
          const text = Buffer.from(parts.join(''));
          const out: Buffer[] = [];
          for await (const c of lineAligned(refilled(text, sizes))) out.push(Buffer.from(c));
          expect(Buffer.concat(out).equals(text)).toBe(true);
          // Every chunk but the last ends a line, unless it ends inside a line of 64 KiB or more.
          let end = 0;
          for (const c of out.slice(0, -1)) {
            end += c.length;
            if (c.at(-1) === 10) continue;
            const from = text.lastIndexOf(10, end - 1) + 1;
            const nl = text.indexOf(10, end - 1);
            expect((nl < 0 ? text.length : nl) - from).toBeGreaterThanOrEqual(64 * 1024);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
