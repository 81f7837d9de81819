import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { summaryMarkdown } from '../../src/report/markdown.js';
import { verdictSentence } from '../../src/report/verdict.js';
import { toFindingsJson } from '../../src/result.js';
import { formatBytes, formatPercent } from '../../src/util/bytes.js';
import { analyzeCapture } from '../helpers/capture.js';
import { loadFixture } from '../helpers/exports.js';
import { incidentExport } from '../helpers/prom-export.js';

/** Rows of the Markdown table under `heading`, split into cells (escaped pipes kept). */
function tableRows(md: string, heading: string): string[][] {
  const from = md.indexOf(`## ${heading}`);
  const next = md.indexOf('\n## ', from + 1);
  return md
    .slice(from, next < 0 ? undefined : next)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|---'))
    .slice(1)
    .map((l) =>
      l
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((c) => c.trim()),
    );
}

describe('summary.md', () => {
  it.each([
    ['the real capture', () => analyzeCapture()],
    ['a Prometheus export with hostile labels', async () => analyzeDatasets([incidentExport()])],
  ])('matches findings.json for %s', async (_, load) => {
    const r = await load();
    const md = summaryMarkdown(r);
    const json = toFindingsJson(r);
    expect(md).toContain(`**Verdict:** ${verdictSentence(r).replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);

    const findings = tableRows(md, 'Findings');
    expect(findings).toHaveLength(json.findings.length);
    findings.forEach(([severity, , title], i) => {
      expect(severity).toBe(json.findings[i].severity);
      expect(title).toBe(json.findings[i].title);
    });

    const containers = tableRows(md, 'Containers');
    expect(containers).toHaveLength(json.containers.length);
    containers.forEach((row, i) => {
      const c = json.containers[i];
      expect(row[1]).toBe(c.unlimited ? 'none' : formatBytes(c.limitBytes));
      expect(row[2]).toBe(formatBytes(c.peak.usageBytes));
      expect(row[3]).toBe(formatBytes(c.peak.workingSetBytes));
      expect(row[4]).toBe(formatPercent(r.containers[i].cacheShareAtPeak));
      expect(row[5]).toBe(
        `${c.oomKills ?? '?'}${c.possibleOomKills ? ` (+${c.possibleOomKills} possible)` : ''}`,
      );
      expect(row[6]).toBe(c.recommendedLimitBytes === null ? '—' : formatBytes(c.recommendedLimitBytes));
      expect(row[7]).toBe(c.severity);
    });
  });

  it('keeps hostile labels from becoming markup or breaking the table', () => {
    const md = summaryMarkdown(analyzeDatasets([incidentExport()]));
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const row of tableRows(md, 'Containers')) expect(row).toHaveLength(8);
  });

  it('shows the window in --tz as well', async () => {
    const md = summaryMarkdown(await analyzeCapture(), { tz: 'Asia/Kolkata' });
    expect(md).toContain('(2026-11-28 00:46:50 Asia/Kolkata – 2026-11-28 00:47:07 Asia/Kolkata)');
  });

  it('carries the inputs’ warnings a ticket needs (a zone read as UTC, rounded values), and lists the worst container first', async () => {
    const grafana = await loadFixture('grafana-9-single-formatted-bom.csv');
    const md = summaryMarkdown(analyzeDatasets([grafana]));
    const caveats = md.slice(md.indexOf('## Input warnings'), md.indexOf('## Findings'));
    expect(caveats).toMatch(
      /- .*grafana-9-single-formatted-bom\.csv: timestamps carry no time zone .* read as UTC/,
    );
    expect(caveats).toMatch(/values were written with a unit by Grafana .* are rounded/);
    // the reader (info) sorts after the api (critical) although its name comes first in the export
    const vm = await loadFixture('victoriametrics-export-noheader.csv', {
      settings: {
        vmFormat: '__name__,namespace,pod,container,id,reason,resource,__value__,__timestamp__:unix_s',
      },
    });
    const r = analyzeDatasets([vm]);
    expect(tableRows(summaryMarkdown(r), 'Containers').map((row) => [row[0], row.at(-1)])).toEqual([
      ['shop/checkout-7d9c/api', 'critical'],
      ['shop/report-5c8b/reader', 'info'],
    ]);
    expect(toFindingsJson(r).containers.map((c) => c.key)).toEqual([
      'shop/checkout-7d9c/api',
      'shop/report-5c8b/reader',
    ]);
  });
});
