import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { EXPORTS, fixture } from '../helpers/exports.js';

/** The format each fixture's writer makes, told by its file name. */
const FORMAT: [RegExp, string][] = [
  [/^grafana-/, 'grafana-csv'],
  [/^(query-csv-py|pandas-|prom2csv-)/, 'prometheus-csv'],
  [/^victoriametrics-.*\.csv$/, 'victoriametrics-csv'],
  [/^victoriametrics-.*\.jsonl$/, 'victoriametrics-json'],
  [/^(prometheus|promtool)-.*\.json(\.gz)?$/, 'prometheus-json'],
  [/^promtool-.*\.txt$/, 'promtool-text'],
  [/\.(prom|om\.txt)$/, 'prometheus-exposition'],
];

/** What a file needs on the command line: the headerless VictoriaMetrics CSV its field list. */
const EXTRA: Record<string, string[]> = {
  'victoriametrics-export-noheader.csv': [
    '--vm-format',
    '__name__,namespace,pod,container,id,reason,resource,__value__,__timestamp__:unix_s',
  ],
};

const INCIDENT = ['shop/checkout-7d9c/api', 'shop/report-5c8b/reader'];

interface Findings {
  inputs: { format: string }[];
  containers: { key: string; oomKills: number | null; possibleOomKills: number }[];
  findings: { code: string; container: string }[];
}

async function analyze(files: string[], extra: string[] = []): Promise<{ doc: Findings; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'memlens-each-'));
  const r = await cli('analyze', ...files.map(fixture), ...extra, '--out', dir, '--quiet');
  expect(r.code, `${files}: ${r.stderr}`).toBe(0);
  return { doc: JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')), dir };
}

const codes = (doc: Findings) => doc.findings.map((f) => `${f.code} ${f.container}`).sort();

describe('analyze on every export fixture', () => {
  const files = readdirSync(EXPORTS).sort();

  it('knows the format of every fixture', () => {
    for (const f of files)
      expect(
        FORMAT.some(([re]) => re.test(f)),
        f,
      ).toBe(true);
  });

  // A Grafana legend {{pod}} names no metric and no container: refused, saying how to export names.
  const REFUSED: Record<string, RegExp> = {
    'grafana-11-excel-legend-pod.csv': /holds no series memlens can analyse: .*legend left empty \(Verbose\)/,
  };

  it.each(Object.keys(REFUSED))('%s: refused in one line that says why, exit 2', async (f) => {
    const r = await cli('analyze', fixture(f), '--out', mkdtempSync(join(tmpdir(), 'memlens-each-')));
    expect(r.code).toBe(2);
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderr).toMatch(REFUSED[f]);
  });

  it.each(files.filter((f) => !REFUSED[f]))(
    '%s: imported as its format, the incident’s containers only, every output written',
    async (f) => {
      const { doc, dir } = await analyze([f], EXTRA[f]);
      expect(doc.inputs[0].format).toBe(FORMAT.find(([re]) => re.test(f))![1]);
      const keys = doc.containers.map((c) => c.key);
      for (const k of keys) expect(INCIDENT).toContain(k);
      for (const x of doc.findings) expect(keys).toContain(x.container);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      for (const k of keys) expect(html).toContain(k);
      for (const out of ['summary.md', 'containers.csv']) expect(existsSync(join(dir, out))).toBe(true);
    },
  );

  it('every full export of the range query reaches the same findings as the Prometheus answer', async () => {
    const { doc: json } = await analyze(['prometheus-query-range.json']);
    expect(json.containers.map((c) => c.key)).toEqual(INCIDENT);
    expect(codes(json)).toContain('oom-kill/killed shop/checkout-7d9c/api');
    for (const f of [
      'prometheus-query-range.json.gz',
      'promtool-query-range.json',
      'promtool-query-range.txt',
      'query-csv-py.csv',
      'pandas-metric-range-df.csv',
      'grafana-11-joined-raw.csv',
      'victoriametrics-export.jsonl',
      'victoriametrics-export-noheader.csv',
    ]) {
      const { doc } = await analyze([f], EXTRA[f]);
      expect(codes(doc), f).toEqual(codes(json));
    }
  });

  it('snapshots given together form one series: scrapes before and after the kill find it', async () => {
    const { doc } = await analyze([
      'scrape-1700000150.prom',
      'scrape-1700000165.prom',
      'scrape-1700000195.prom',
    ]);
    expect(doc.containers.map((c) => c.key)).toEqual(INCIDENT);
    const { doc: one } = await analyze(['scrape-1700000150.prom']);
    expect(codes(one)).not.toContain('oom-kill/killed shop/checkout-7d9c/api');
    expect(codes(doc)).toEqual(expect.arrayContaining(codes(one)));
    // The restart right at the limit is a possible kill: counted apart from the kills cAdvisor's
    // counter (present, and flat) vouches for.
    expect(codes(doc)).toContain('oom-kill/killed shop/checkout-7d9c/api');
    expect(doc.containers.find((c) => c.key === INCIDENT[0])).toMatchObject({
      oomKills: 0,
      possibleOomKills: 1,
    });
  });

  it('says kills are unknown, not zero, when the export holds no kill counter or reason', async () => {
    const { doc } = await analyze(['grafana-9-single-formatted-bom.csv'], ['--tz', 'Europe/Berlin']);
    expect(doc.containers.map((c) => [c.key, c.oomKills])).toEqual([[INCIDENT[0], null]]);
  });
});
