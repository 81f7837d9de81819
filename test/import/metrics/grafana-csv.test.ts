import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/build.js';
import { loadFixture, loadText, MI, samples, T0 } from '../../helpers/exports.js';

const WS = 'container_memory_working_set_bytes';
const OLD_API = {
  container: 'api',
  name: '3b1c5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d',
};

describe('grafana-csv', () => {
  it('reads "Series joined by time" (Grafana 11, raw) to the same samples as the Prometheus answer', async () => {
    const csv = await loadFixture('grafana-11-joined-raw.csv');
    const json = await loadFixture('prometheus-query-range.json');
    expect(csv.input.format).toBe('grafana-csv');
    expect(csv.input.details.variant).toBe('Download CSV, series joined by time');
    expect(csv.table.length).toBe(json.table.length);
    for (const field of json.table.fields)
      expect(samples(csv, field, { namespace: 'shop' }), field).toEqual(
        samples(json, field, { namespace: 'shop' }),
      );
  });

  it('reads the UTF-16LE tab-separated Excel mode (Grafana 12.2)', async () => {
    const ds = await loadFixture('grafana-12-excel-utf16le.csv');
    expect(ds.input.details.encoding).toMatch(/UTF-16LE/);
    expect(ds.input.details.delimiter).toBe('TAB');
    expect(samples(ds, WS, OLD_API)[0]).toEqual([T0, 150 * MI]);
  });

  it('reads "Formatted data": wall-clock times in --tz, unit values, flagged lossy', async () => {
    const berlin = await loadFixture('grafana-9-single-formatted-bom.csv', { tz: 'Europe/Berlin' });
    const exact = samples(await loadFixture('prometheus-query-range.json'), WS, OLD_API);
    const got = samples(berlin, WS, {});
    expect(berlin.input.details.lossy).toBe(true);
    expect(berlin.input.details.bom).toBe(true);
    expect(berlin.input.details.timeZone).toBe('Europe/Berlin');
    expect(got.map((p) => p[0])).toEqual(exact.map((p) => p[0]));
    expect(got[0][1]).toBe(150 * MI); // "150 MiB" is exact
    for (const [i, [, v]] of got.entries())
      expect(Math.abs(v - exact[i][1]) / exact[i][1]).toBeLessThan(0.005);
    expect(berlin.input.warnings.join('\n')).toMatch(/rounded; download again with "Formatted data" off/);
    // without --tz the times are read as UTC and the user is told
    const utc = await loadFixture('grafana-9-single-formatted-bom.csv');
    expect(samples(utc, WS, {})[0][0]).toBe(T0 + 3600_000);
    expect(utc.input.warnings.join('\n')).toMatch(/no time zone .* read as UTC\. Pass --tz/);
  });

  it('refuses a download whose every series name is a custom legend, saying how to export names', async () => {
    await expect(loadFixture('grafana-11-excel-legend-pod.csv')).rejects.toThrow(
      /grafana-11-excel-legend-pod\.csv: holds no series memlens can analyse: its 6 series names \("checkout-7d9c", "report-5c8b"\) carry no metric name or labels, as a custom legend such as \{\{pod\}\} writes them\. Download the panel again with the legend left empty \(Verbose\)/,
    );
  });

  it('reads legacy Export CSV (Grafana 6): series as rows with null gaps and offsets, and as columns', async () => {
    const rows = await loadFixture('grafana-6-legacy-series-as-rows.csv');
    expect(rows.input.details.variant).toBe('legacy Export CSV, series as rows');
    expect(samples(rows, WS, OLD_API)[0]).toEqual([T0, 150 * MI]);
    expect(rows.input.details.emptySamples).toBeGreaterThan(0);
    const cols = await loadFixture('grafana-6-legacy-series-as-columns.csv');
    expect(cols.input.details.variant).toBe('legacy Export CSV, series as columns');
    expect(cols.input.details.excelSepLine).toBe(true);
    expect(samples(cols, 'container_memory_cache', { container: 'reader' })[0]).toEqual([T0, 700 * MI]);
  });

  it('counts bad cells and rows with file:line and keeps the rest', async () => {
    const text =
      '"Time","container_memory_rss{container=""c"", namespace=""n"", pod=""p""}"\r\n' +
      '1700000000000,5\r\n' +
      'yesterday,6\r\n' +
      '1700000030000,N/A\r\n' +
      '1700000045000,7,8\r\n' +
      '1700000060000,9';
    const ds = await loadText(text, {}, 'panel.csv');
    expect(samples(ds, 'container_memory_rss', { pod: 'p' })).toEqual([
      [T0, 5],
      [T0 + 60_000, 9],
    ]);
    expect(ds.input.details.badInput).toBe(3);
    expect(ds.input.warnings).toEqual([
      'panel.csv:3: "yesterday" is not a time; row skipped',
      'panel.csv:4: column 2 ("container_memory_rss{container=\\"c\\", namespace=\\"n\\", pod=\\"p\\"}"): "N/A" is not a number; cell skipped',
      'panel.csv:5: 3 fields where the header has 2; row skipped: 1700000045000,7,8',
    ]);
  });

  it('reads JS number spellings of raw downloads: NaN, Infinity, exponents, fractional ms (Grafana 7.1)', async () => {
    const text =
      '"Time","container_spec_memory_limit_bytes{container=""c"", namespace=""n"", pod=""p""}","container_memory_rss{container=""c"", namespace=""n"", pod=""p""}"\r\n' +
      '1700000000000.7249,Infinity,1.5e-7\r\n' +
      '1700000015000,NaN,1e+21\r\n';
    const ds = await loadText(text, {}, 'raw.csv');
    expect(samples(ds, 'container_spec_memory_limit_bytes', {})).toEqual([
      [T0 + 1, Number.POSITIVE_INFINITY],
    ]);
    expect(samples(ds, 'container_memory_rss', {})).toEqual([
      [T0 + 1, 1.5e-7],
      [T0 + 15000, 1e21],
    ]);
    expect(ds.input.details.emptySamples).toBe(1);
  });

  it('reads very old unquoted Series;Time;Value (Grafana 2–4) and SI-formatted values', async () => {
    const old = await loadText(
      'Series;Time;Value\ncontainer_memory_rss{pod="p"};2023-11-14T22:13:20.000Z;1.1\n',
      {},
      'old.csv',
    );
    expect(old.input.details.variant).toBe('legacy Export CSV, series as rows');
    expect(samples(old, 'container_memory_rss', { pod: 'p' })).toEqual([[T0, 1.1]]);
    const si = await loadText(
      '"Time","container_memory_rss{pod=""p""}"\r\n2023-11-14 22:13:20,1.2 GB\r\n2023-11-14 22:13:35,500 kB\r\n2023-11-14 22:13:50,4.5 Mil',
      { tz: 'UTC' },
      'si.csv',
    );
    expect(samples(si, 'container_memory_rss', { pod: 'p' }).map((p) => p[1])).toEqual([1.2e9, 500e3, 4.5e6]);
    expect(si.input.warnings).toHaveLength(1); // lossy; the zone was given
  });

  it('leaves table frames (Grafana’s own "time","name","value" test) to the long-CSV reader', async () => {
    const ds = await loadText(
      '\uFEFFsep=,\r\n"time","name","value"\r\n1700000000000,container_memory_rss,1',
      {},
      't.csv',
    );
    expect(ds.input.format).toBe('prometheus-csv');
    expect(samples(ds, 'container_memory_rss', {})).toEqual([[T0, 1]]);
    // a single series whose legend is "Value" has no name to read: refused, saying why
    await expect(loadText('"Time","Value"\r\n1700000000000,5', {}, 'v.csv')).rejects.toThrow(
      /v\.csv: holds no series memlens can analyse: its 1 series name \("Value"\) carries no metric name or labels/,
    );
  });
});

describe('grafana-csv: headers and cells Grafana writes for unnamed and repeated series', () => {
  const LIMIT = 'container_spec_memory_limit_bytes';
  const ID = { container: 'api', namespace: 'shop', pod: 'api-1' };
  const named = (m: string) => `"${m}{container=""api"", namespace=""shop"", pod=""api-1""}"`;
  const opaque = (ds: Awaited<ReturnType<typeof loadText>>) => [...ds.table.series];

  it('reads "Time","Value","Value" (series without names, grafana#24600) as columns, raw or formatted', async () => {
    const raw = await loadText(
      `"Time","Value","Value","Value",${named(WS)}\r\n1700000000000,1,2,3,4\r\n1700000015000,2,3,4,5`,
      {},
      'values.csv',
    );
    expect(raw.input.format).toBe('grafana-csv');
    expect(raw.input.details.samples).toBe(8);
    expect(opaque(raw).slice(0, 3)).toEqual(['Value', 'Value #2', 'Value #3']);
    // One unnamed series with units ("Formatted data"): read as Grafana's (not refused as a long
    // CSV whose value "118 MiB" is no number), and refused for naming nothing.
    await expect(
      loadText('"Time","Value"\r\n2023-11-14 22:13:20,118 MiB\r\n2023-11-14 22:13:35,119 MiB', {}, 'one.csv'),
    ).rejects.toThrow(
      /one\.csv: holds no series memlens can analyse: its 1 series name \("Value"\) carries no metric name/,
    );
  });

  it('keeps a bare metric name repeated over several columns (legend {{__name__}}) as separate series', async () => {
    const ds = await loadText(
      `"Time","${WS}","${WS}",${named(LIMIT)}\r\n1700000000000,100,200,300\r\n1700000015000,110,210,300`,
      {},
      'bare.csv',
    );
    expect(ds.input.details).toMatchObject({ samples: 6, duplicates: 0 });
    expect(opaque(ds).slice(0, 2)).toEqual([WS, `${WS} #2`]);
  });

  it('reads the hour a DST change repeats in --tz as Grafana wrote it, in time order', async () => {
    const text = [
      `"Time",${named(WS)}`,
      ...['01:30', '02:00', '02:30', '02:00', '02:30', '03:00'].map((t, i) => `2023-10-29 ${t}:00,${i + 1}`),
    ].join('\r\n');
    const ds = await loadText(text, { tz: 'Europe/Berlin' }, 'dst.csv');
    const H = 3_600_000;
    const night = Date.UTC(2023, 9, 28, 23, 30);
    expect(samples(ds, WS, ID)).toEqual([0, 0.5, 1, 1.5, 2, 2.5].map((h, i) => [night + h * H, i + 1]));
    expect(ds.input.details.duplicates).toBe(0);
  });

  it('reads the exbibytes of an unlimited cgroup v1 limit ("8 EiB") as no limit', async () => {
    const ds = await loadText(
      `"Time",${named(LIMIT)},${named(WS)}\r\n2023-11-14 22:13:20,8 EiB,118 MiB\r\n2023-11-14 22:13:35,9.22 EB,1.15 GiB`,
      {},
      'eib.csv',
    );
    expect(ds.input.details.badInput).toBe(0);
    expect(samples(ds, LIMIT, ID).map(([, v]) => v)).toEqual([8 * 1024 ** 6, 9.22 * 1e18]);
    const model = buildModel([ds]);
    const api = model.entities.find((e) => e.container === 'api')!;
    expect(Array.from(model.columns.limit!.subarray(api.rowStart, api.rowEnd))).toEqual([
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
  });
});
