import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import type { Dataset } from '../../../src/import/types.js';
import { metricDef } from '../../../src/model/metrics.js';
import { SampleTableBuilder } from '../../../src/model/samples.js';
import { MAX_DETAIL_CHARTS } from '../../../src/report/charts/index.js';
import { escapeHtml, prose } from '../../../src/report/html/escape.js';
import { GLOSSARY } from '../../../src/report/html/glossary.js';
import { renderHtml } from '../../../src/report/html/page.js';
import { verdictSentence } from '../../../src/report/verdict.js';
import type { AnalysisResult } from '../../../src/result.js';
import { analyzeCapture } from '../../helpers/capture.js';
import { incidentExport, MiB, type PromContainer, promDataset } from '../../helpers/prom-export.js';

let capture: AnalysisResult;
let page: string;
beforeAll(async () => {
  capture = await analyzeCapture();
  page = await renderHtml(capture, { tz: 'Europe/Berlin' });
});

const ids = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

describe('report.html from the real capture', () => {
  it('opens with the verdict, the window in UTC and in --tz, and the input', () => {
    expect(page).toContain(escapeHtml(verdictSentence(capture)));
    expect(page).toContain('2026-11-27 19:16:50 UTC – 2026-11-27 19:17:07 UTC (17s)');
    expect(page).toContain('2026-11-27 20:16:50 Europe/Berlin – 2026-11-27 20:17:07 Europe/Berlin');
    expect(page).toMatch(/<td>cgroup-capture<\/td><td>vm<\/td><td>v1<\/td>/);
  });

  it('has the fleet chart and a composition chart per container, as inline SVG with marks', () => {
    const figures = [
      ...page.matchAll(/<figure class="chart" id="chart-([^"]+)" data-kind="([^"]+)">([\s\S]*?)<\/figure>/g),
    ];
    expect(figures.map((f) => f[2])).toEqual(['fleet-overview', 'composition', 'composition', 'composition']);
    for (const [, , kind, body] of figures) {
      expect(body).toMatch(/<div class="static"[^>]*><svg /);
      expect(body).toContain(kind === 'fleet-overview' ? 'points_marks' : 'parts_rss_marks');
    }
  });

  it('links every finding to its container, most severe first', () => {
    const table = page.slice(
      page.indexOf('<table class="findings">'),
      page.indexOf('</table>', page.indexOf('<table class="findings">')),
    );
    const rows = [...table.matchAll(/<tr class="(\w+)">[\s\S]*?<a href="#([^"]+)">/g)];
    expect(rows.map((r) => r[1])).toEqual(capture.findings.map((f) => f.severity));
    const present = ids(page);
    for (const [, , target] of rows) expect(present.has(target)).toBe(true);
  });

  it('carries the glossary from the metric table memlens explain uses', () => {
    for (const name of GLOSSARY) {
      const m = metricDef(name)!;
      expect(page).toContain(prose(m.description).value);
      if (m.v1) expect(page).toContain(escapeHtml(m.v1));
    }
  });

  it('has no script at all, a CSP that forbids scripts and network, and unique ids', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('default-src &#39;none&#39;; script-src &#39;none&#39;');
    const all = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(all).size).toBe(all.length);
    expect(page).not.toMatch(/\son[a-z]+="/i);
  });
});

describe('report.html from a Prometheus export with hostile labels', () => {
  let r: AnalysisResult;
  beforeAll(() => {
    r = analyzeDatasets([incidentExport()]);
  });

  it('shows every label as text in the static page', async () => {
    const html = await renderHtml(r);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/<\/script>/i);
    expect(html).not.toContain('a"b\'c&d');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('a&quot;b&#39;c&amp;d&lt;!--');
    expect(html).toContain('1 container without a limit or without usage data is not shown.');
    expect(html).toContain(
      '<strong>Estimated</strong> (pale): active file (estimated), inactive file (estimated)',
    );
  });

  it('embeds specs that cannot close their script element, and allows exactly its own scripts', async () => {
    const html = await renderHtml(r, { interactive: true });
    const opens = html.match(/<script/gi)!.length;
    expect(html.match(/<\/script>/gi)!.length).toBe(opens);
    const islands = [
      ...html.matchAll(/<script type="application\/json" data-chart="([^"]+)">([\s\S]*?)<\/script>/g),
    ];
    expect(islands).toHaveLength(1 + r.containers.length);
    const specs = islands.map((m) => JSON.parse(m[2]));
    expect(JSON.stringify(specs)).toContain('</script><script>alert(2)</script>');
    for (const [, target] of islands) expect(ids(html).has(target)).toBe(true);

    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(4);
    expect(scripts[2]).toContain('vegaEmbed');
    const csp = /content="(default-src[^"]*)"/.exec(html)![1].replace(/&#39;/g, "'");
    for (const s of scripts)
      expect(csp).toContain(`'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe('report.html at the edges', () => {
  it('renders an input with no containers', async () => {
    const html = await renderHtml(analyzeDatasets([promDataset([])]));
    expect(html).toContain('No containers found in the inputs.');
    expect(html).toContain('id="chart-fleet"');
    expect(html).not.toContain('<article');
  });

  it('says so in place of a chart that has nothing to draw, and renders the rest', async () => {
    const b = new SampleTableBuilder();
    const failcnt = b.fieldId('container_memory_failcnt');
    const labels = { namespace: 'ns', pod: 'p', container: 'c', id: '/kubepods/podx/abc' };
    const s = b.seriesId('only-failcnt');
    for (let i = 0; i < 5; i++) b.set(b.row(s, 1_795_800_000_000 + i * 15_000), failcnt, i);
    const ds: Dataset = {
      kind: 'metrics',
      input: { path: 'failcnt.json', format: 'prometheus-api-json', warnings: [], details: {} },
      table: b.build(),
      hints: [{ labels }],
    };
    const r = analyzeDatasets([ds]);
    expect(r.containers).toHaveLength(1);
    const html = await renderHtml(r, { interactive: true });
    expect(html).toContain('no memory series to draw for this container');
    // No data island for it: the live page would have nothing to embed.
    expect(html).not.toContain(`data-chart="chart-c-${r.containers[0].entity.index}"`);
  });
});

describe('report.html for a large fleet', () => {
  it('stays under a few MB: detail charts for the worst containers, table rows for the rest', async () => {
    const fleet: PromContainer[] = Array.from({ length: 300 }, (_, k) => ({
      namespace: `ns-${k % 7}`,
      pod: `pod-${k}`,
      container: 'app',
      limit: 1024 * MiB,
      // Every third container is cache-heavy (a finding), the rest steady.
      at: (i: number) =>
        k % 3 === 0
          ? { rss: 200 * MiB, cache: (400 + (i % 50)) * MiB, inactive: 380 * MiB }
          : { rss: (300 + ((i * k) % 40)) * MiB, cache: 20 * MiB, inactive: 5 * MiB },
    }));
    const r = analyzeDatasets([promDataset(fleet, { samples: 720 })]);
    expect(new Set(r.findings.map((f) => f.entity)).size).toBe(100);
    const html = await renderHtml(r);
    expect(html.length).toBeLessThan(4 * 1024 * 1024);
    expect(html.match(/<article class="container/g)).toHaveLength(MAX_DETAIL_CHARTS);
    expect(html.match(/<tr id="row-/g)).toHaveLength(300);
    expect(html).toContain(
      `${100 - MAX_DETAIL_CHARTS} more containers with findings are listed in the tables only`,
    );
    // The interactive page adds the vega runtime and each chart's data once more.
    expect((await renderHtml(r, { interactive: true })).length).toBeLessThan(6 * 1024 * 1024);
  }, 120_000);
});
