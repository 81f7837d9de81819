import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadInput } from '../../src/import/open.js';
import type { Dataset } from '../../src/import/types.js';
import { buildModel } from '../../src/model/build.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';

/**
 * Property tests over generated exports: the same series written in every text format memlens
 * reads (Prometheus API JSON, VictoriaMetrics JSON lines, query_csv.py CSV, Grafana's joined CSV,
 * exposition, promtool text) import to the same samples; mutated exports throw nothing but
 * InputError; the estimates from Prometheus data keep their invariants.
 */
const CTX = { limits: DEFAULT_READ_LIMITS, now: Date.UTC(2026, 0, 1) };
const T0 = 1_700_000_000_000;
const STEP = 15_000;
const METRICS = [
  'container_memory_usage_bytes',
  'container_memory_working_set_bytes',
  'container_memory_rss',
  'container_memory_cache',
] as const;

/** Label values as Kubernetes allows and worse: quotes, backslashes, commas, markup, Unicode. */
const labelValue = fc.string({
  unit: fc.constantFrom(
    ...'abcz019-_.',
    ' ',
    ',',
    ';',
    '"',
    "'",
    '\\',
    '{',
    '}',
    '=',
    '<',
    '>',
    '&',
    'é',
    '€',
    '日',
  ),
  minLength: 1,
  maxLength: 12,
});

interface Series {
  metric: (typeof METRICS)[number];
  labels: { namespace: string; pod: string; container: string };
  /** Sample at step i of the shared time axis, or null for none. */
  values: (number | null)[];
}

const sampleValue = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 45 }),
  fc.double({ min: 0, max: 1e15, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0),
);

const exportArb = fc
  .record({
    steps: fc.integer({ min: 1, max: 6 }),
    containers: fc.uniqueArray(fc.record({ namespace: labelValue, pod: labelValue, container: labelValue }), {
      minLength: 1,
      maxLength: 3,
      selector: (l) => JSON.stringify(l),
    }),
  })
  .chain(({ steps, containers }) =>
    fc
      .tuple(
        ...containers.map((labels) =>
          fc.subarray([...METRICS], { minLength: 1 }).chain((metrics) =>
            fc.tuple(
              ...metrics.map((metric) =>
                fc
                  .array(fc.option(sampleValue, { nil: null, freq: 4 }), {
                    minLength: steps,
                    maxLength: steps,
                  })
                  .map((values): Series => ({ metric, labels, values })),
              ),
            ),
          ),
        ),
      )
      .map((groups) => ({ steps, series: groups.flat().filter((s) => s.values.some((v) => v !== null)) })),
  )
  .filter((e) => e.series.length > 0);

type Export = { steps: number; series: Series[] };

const points = (s: Series) =>
  s.values.flatMap((v, i) => (v === null ? [] : [[T0 + i * STEP, v] as [number, number]]));

const goQuote = (v: string) => JSON.stringify(v);
const labelText = (s: Series, sep: string) =>
  `namespace=${goQuote(s.labels.namespace)}${sep}pod=${goQuote(s.labels.pod)}${sep}container=${goQuote(s.labels.container)}`;
const expoEscape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const csvCell = (v: string) => (/[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);

const WRITERS: Record<string, (e: Export) => string> = {
  'prometheus.json': (e) =>
    JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: e.series.map((s) => ({
          metric: { __name__: s.metric, ...s.labels },
          values: points(s).map(([t, v]) => [t / 1000, String(v)]),
        })),
      },
    }),
  'victoriametrics.jsonl': (e) =>
    e.series
      .map((s) =>
        JSON.stringify({
          metric: { __name__: s.metric, ...s.labels },
          values: points(s).map(([, v]) => v),
          timestamps: points(s).map(([t]) => t),
        }),
      )
      .join('\n'),
  'query.csv': (e) =>
    [
      'name,timestamp,value,namespace,pod,container',
      ...e.series.flatMap((s) =>
        points(s).map(([t, v]) =>
          [s.metric, t / 1000, String(v), s.labels.namespace, s.labels.pod, s.labels.container]
            .map((c) => csvCell(String(c)))
            .join(','),
        ),
      ),
      '', // csv.writer ends every row, the last one too
    ].join('\r\n'),
  'grafana.csv': (e) =>
    [
      ['Time', ...e.series.map((s) => `${s.metric}{${labelText(s, ', ')}}`)],
      ...Array.from({ length: e.steps }, (_, i) => [
        String(T0 + i * STEP),
        ...e.series.map((s) => (s.values[i] === null ? '' : String(s.values[i]))),
      ]),
    ]
      .map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
      .join('\r\n'),
  'scrape.prom': (e) =>
    e.series
      .flatMap((s) =>
        points(s).map(
          ([t, v]) =>
            `${s.metric}{namespace="${expoEscape(s.labels.namespace)}",pod="${expoEscape(s.labels.pod)}",container="${expoEscape(s.labels.container)}"} ${v} ${t}\n`,
        ),
      )
      .join(''),
  'promtool.txt': (e) =>
    e.series
      .map(
        (s) =>
          `${s.metric}{${labelText(s, ', ')}} =>\n${points(s)
            .map(([t, v]) => `${v} @[${t / 1000}]\n`)
            .join('')}`,
      )
      .join(''),
};

/** What an input holds: metric → identity → its points, independent of the format's order. */
function contents(ds: Dataset): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  ds.table.fields.forEach((field, f) => {
    for (let s = 0; s < ds.table.series.length; s++) {
      const key = `${field} ${ds.table.series[s]}`;
      for (let r = ds.table.rowStart[s]; r < ds.table.rowStart[s + 1]; r++) {
        const v = ds.table.columns[f][r];
        if (Number.isNaN(v)) continue;
        out[key] ??= [];
        out[key].push([ds.table.t[r], v]);
      }
    }
  });
  return out;
}

describe('generated exports', () => {
  it('round trips through every format agree, with no warning', async () => {
    await fc.assert(
      fc.asyncProperty(exportArb, async (e) => {
        let first: Record<string, [number, number][]> | undefined;
        for (const [name, write] of Object.entries(WRITERS)) {
          const ds = await loadInput({ path: name, data: Buffer.from(write(e)) }, CTX);
          expect([name, ds.input.warnings]).toEqual([name, []]);
          const got = contents(ds);
          if (first) expect([name, got]).toEqual([name, first]);
          else {
            first = got;
            const total = e.series.reduce((n, s) => n + points(s).length, 0);
            expect(Object.values(got).reduce((n, p) => n + p.length, 0)).toBe(total);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('mutated exports throw nothing but InputError', async () => {
    const mutation = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 64 }),
      insert: fc.oneof(
        fc.constantFrom(
          'NaN',
          '-Inf',
          '+Inf',
          '-1',
          '"',
          '\n',
          ',',
          '{',
          '}',
          '[',
          ']',
          '\\',
          '\u0000',
          '1e999',
        ),
        fc.string({ maxLength: 8 }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        exportArb,
        fc.constantFrom(...Object.keys(WRITERS)),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        async (e, name, mutations) => {
          let text = Buffer.from(WRITERS[name](e));
          for (const m of mutations) {
            const at = text.length ? m.at % text.length : 0;
            text = Buffer.concat([text.subarray(0, at), Buffer.from(m.insert), text.subarray(at + m.cut)]);
          }
          try {
            const ds = await loadInput({ path: name, data: text }, CTX);
            for (const w of ds.input.warnings) expect(w).not.toMatch(/[\r\n]/);
          } catch (err) {
            expect(err).toBeInstanceOf(InputError);
            expect((err as Error).message).not.toMatch(/[\r\n]/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes after the first line of each format throw nothing but InputError', async () => {
    const starts = [
      '{"status":"success","data":{"resultType":"matrix","result":[',
      '{"metric":{"__name__":"container_memory_rss"},"values":[1],"timestamps":[',
      'name,timestamp,value,pod\n',
      '"Time","container_memory_rss{pod=""a""}"\r\n',
      'container_memory_rss{pod="a"} 1 1700000000000\n',
      'container_memory_rss{pod="a"} =>\n',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...starts),
        fc.uint8Array({ maxLength: 3000 }),
        fc.boolean(),
        async (start, bytes, gz) => {
          const raw = Buffer.concat([Buffer.from(start), Buffer.from(bytes)]);
          const data = gz ? gzipSync(raw).subarray(0, 10 + (bytes.length % 200)) : raw;
          try {
            await loadInput({ path: 'x', data }, CTX);
          } catch (err) {
            expect(err).toBeInstanceOf(InputError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('estimates from Prometheus data are never negative, and working set + inactive file is usage', async () => {
    await fc.assert(
      fc.asyncProperty(exportArb, async (e) => {
        const ds = await loadInput({ path: 'x.json', data: Buffer.from(WRITERS['prometheus.json'](e)) }, CTX);
        const m = buildModel([ds]);
        const { usage, workingSet, inactiveFile, activeFile } = m.columns;
        for (let r = 0; r < m.t.length; r++) {
          if (inactiveFile && !Number.isNaN(inactiveFile[r])) {
            expect(inactiveFile[r]).toBeGreaterThanOrEqual(0);
            // Measured working set and usage: the estimate is their difference, clamped.
            expect(inactiveFile[r]).toBe(Math.max(0, usage![r] - workingSet![r]));
          }
          if (activeFile && !Number.isNaN(activeFile[r])) expect(activeFile[r]).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});
