import { describe, expect, it } from 'vitest';
import { canonicalFrame, loadFixture, modelOf } from '../../helpers/exports.js';

/** The same range query exported four ways (Prometheus and promtool wrote three of them). */
const SAME_QUERY = [
  'prometheus-query-range.json',
  'promtool-query-range.txt',
  'query-csv-py.csv',
  'grafana-11-joined-raw.csv',
  'promtool-query-range.json',
  'pandas-metric-range-df.csv',
];
const ALL = [
  ...SAME_QUERY,
  'prometheus-query-range.json.gz',
  'grafana-12-excel-utf16le.csv',
  'grafana-9-single-formatted-bom.csv',
  'grafana-6-legacy-series-as-rows.csv',
  'grafana-6-legacy-series-as-columns.csv',
  'victoriametrics-export.jsonl',
  'scrape-1700000150.prom',
  'openmetrics-1700000150.om.txt',
  'k8s-1.15-dockershim-1700000150.prom',
  'prom2csv-1700000150.csv',
  'prom2csv-1700000300.csv',
];

describe('one incident, many formats', () => {
  it('imports to identical frames from every format of the same query', async () => {
    const frames = [];
    for (const f of SAME_QUERY) frames.push(canonicalFrame(modelOf(await loadFixture(f))));
    const [first, ...rest] = frames;
    expect(Object.keys(first)).toContain('shop/checkout-7d9c/api');
    for (const [i, f] of rest.entries()) expect(f, SAME_QUERY[i + 1]).toEqual(first);
  });

  it('prom2csv instant exports, given together, are the range answer at those two instants', async () => {
    const a = await loadFixture('prom2csv-1700000150.csv');
    const b = await loadFixture('prom2csv-1700000300.csv');
    expect(a.input.details.variant).toMatch(/prom2csv/);
    const instants = [1_700_000_150_000, 1_700_000_300_000];
    const range = canonicalFrame(modelOf(await loadFixture('prometheus-query-range.json')));
    const atInstants = Object.fromEntries(
      Object.entries(range).map(([key, e]) => {
        const { t, columns, ...rest } = e as { t: number[]; columns: Record<string, unknown[]> };
        const keep = t.flatMap((x, i) => (instants.includes(x) ? [i] : []));
        const cols = Object.entries(columns).map(([c, v]) => [c, keep.map((i) => v[i])] as const);
        return [
          key,
          {
            ...rest,
            t: keep.map((i) => t[i]),
            columns: Object.fromEntries(cols.filter(([, v]) => v.some((x) => x !== null))),
          },
        ];
      }),
    );
    expect(canonicalFrame(modelOf(a, b))).toEqual(atInstants);
  });

  it('VictoriaMetrics raw exports agree with each other (JSON lines and CSV)', async () => {
    const json = canonicalFrame(modelOf(await loadFixture('victoriametrics-export.jsonl')));
    const csv = canonicalFrame(
      modelOf(
        await loadFixture('victoriametrics-export-noheader.csv', {
          settings: {
            vmFormat: '__name__,namespace,pod,container,id,reason,resource,__value__,__timestamp__:unix_s',
          },
        }),
      ),
    );
    // the CSV was exported with fewer labels; the numbers per container are the same
    const pick = (f: Record<string, unknown>) =>
      (f['shop/checkout-7d9c/api'] as { t: number[]; columns: unknown }).columns;
    expect(pick(csv)).toEqual(pick(json));
  });

  it('never turns pod-level, pause or node series into containers', async () => {
    for (const f of ALL) {
      const model = modelOf(await loadFixture(f));
      const containers = model.entities.filter((e) => e.role === 'container').map((e) => e.key);
      for (const key of containers)
        expect(['shop/checkout-7d9c/api', 'shop/report-5c8b/reader'], f).toContain(key);
      const pods = model.entities.filter((e) => e.role === 'pod');
      for (const p of pods) expect(p.container, f).toBeUndefined();
      // the pause container of report-5c8b (container="" with a container-level id) is a sandbox
      const pause = model.entities.find((e) => e.containerId?.startsWith('b1b2b3'));
      if (pause) expect(pause.role, f).toBe('sandbox');
    }
  });
});
