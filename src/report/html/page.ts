import { PASSES } from '../../passes/index.js';
import type { AnalysisResult } from '../../result.js';
import { ALERT_RATIO } from '../charts/fleet-overview.js';
import type { RenderedChart } from '../charts/index.js';
import { layoutOf, MAX_DETAIL_CHARTS, renderCharts } from '../charts/index.js';
import { chartFigure, containerSection } from './details.js';
import type { SafeHtml } from './escape.js';
import { html, jsonForScript, raw } from './escape.js';
import { glossarySection } from './glossary.js';
import { headerSection } from './header.js';
import { cspHashes, loadRuntime } from './interactive.js';
import { CSS } from './style.js';
import { containersTable, findingsTable } from './tables.js';

export interface HtmlOptions {
  /** IANA zone for the window and times next to UTC (the --tz the user gave). */
  tz?: string;
  /** Inline the vega runtime for tooltips and zoom. The page works without it. */
  interactive?: boolean;
  maxDetailCharts?: number;
}

/**
 * report.html: one file, no network, charts as inline SVG. Sections, in reading order:
 * 1. header: verdict, window, inputs;
 * 2. fleet overview chart;
 * 3. findings table;
 * 4. containers table;
 * 5. one section per container with findings (chart + messages);
 * 6. glossary, passes, footer;
 * 7. with --interactive: chart specs as JSON islands and the inlined vega runtime.
 */
export async function renderHtml(r: AnalysisResult, opts: HtmlOptions = {}): Promise<string> {
  const maxDetail = opts.maxDetailCharts ?? MAX_DETAIL_CHARTS;
  const layout = layoutOf(r, maxDetail);
  // The charts are drawn on chart threads while this thread writes the tables.
  const drawing = renderCharts(r, maxDetail);
  const header = headerSection(r, { tz: opts.tz });
  const findings = findingsTable(r, layout, opts.tz);
  const containers = containersTable(r, layout);
  const charts = await drawing;
  const fleet = charts[0];
  const details = charts.slice(1);
  const unplaced = fleet.fleet?.unplaced ?? 0;

  const body = html`${header}
<nav class="toc" aria-label="sections"><a href="#overview">Overview</a><a href="#findings">Findings</a><a href="#containers">Containers</a>${details.length ? html`<a href="#details">Details</a>` : ''}<a href="#glossary">Glossary</a><a href="#passes">Passes</a></nav>
<main>
<section id="overview"><h2>Fleet overview</h2>
<div class="overview">
${chartFigure(fleet, html`Each point is a container (click one to jump to it). ${unplaced > 0 ? `${unplaced} container${unplaced === 1 ? '' : 's'} without a limit or without usage data ${unplaced === 1 ? 'is' : 'are'} not shown. ` : ''}`)}
<div class="muted">
<p><strong>Bottom right</strong>: usage near the limit, working set far below. The gap is file cache the kernel reclaims first: such a container only <em>looks</em> full, and usage-based alerts on it are false alarms.</p>
<p><strong>Top right</strong>: the working set itself is near the limit. That is what the kubelet, eviction and <code>kubectl top</code> watch: the real risk of an OOM kill.</p>
<p>Dashed lines: ${Math.round(ALERT_RATIO * 100)} % of the limit, where a typical memory alert fires. Dotted diagonal: working set = usage (no reclaimable cache).</p>
</div>
</div>
</section>
<section id="findings"><h2>Findings</h2>${findings}</section>
<section id="containers"><h2>Containers</h2>${containers}</section>
${
  details.length
    ? html`<section id="details"><h2>Container details</h2>
${layout.uncharted > 0 ? html`<p class="muted">${layout.uncharted} more container${layout.uncharted === 1 ? '' : 's'} with findings ${layout.uncharted === 1 ? 'is' : 'are'} listed in the tables only, to keep this file small; narrow the analysis with <code>--match</code> to chart ${layout.uncharted === 1 ? 'it' : 'them'}.</p>` : ''}
${details.map((c) => containerSection(r, c.container!, c, opts.tz))}</section>`
    : ''
}
<section id="glossary"><h2>Glossary</h2>${glossarySection()}</section>
<section id="passes"><h2>Passes</h2>${passesTable(r)}</section>
</main>
<footer>Written by memlens from ${r.model.inputs.length} input${r.model.inputs.length === 1 ? '' : 's'}. This page loads nothing from the network${opts.interactive ? '; the charts are interactive (hover for values, drag or scroll to zoom, double-click to reset)' : ''}.</footer>`;

  let scripts: SafeHtml = html``;
  let scriptSrc = "'none'";
  if (opts.interactive) {
    const runtime = await loadRuntime();
    scripts = html`${charts.filter((c) => c.svg !== null).map(islandOf)}
${runtime.scripts.map((s) => html`<script>${raw(s)}</script>`)}`;
    scriptSrc = cspHashes(runtime.scripts).join(' ');
  }
  // No network, no plug-ins, no forms; scripts only the exact inline ones this page carries.
  const csp = `default-src 'none'; script-src ${scriptSrc}; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
${html`<html lang="en"${opts.interactive ? html` data-interactive="pending"` : ''}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="memlens">
<title>${titleOf(r)}</title>
<style>${raw(CSS)}</style>
</head>
<body>
${body}
${scripts}
</body>
</html>`}
`;
}

function islandOf(c: RenderedChart): SafeHtml {
  return html`<script type="application/json" data-chart="chart-${c.id}">${raw(jsonForScript(c.interactiveSpec))}</script>`;
}

function titleOf(r: AnalysisResult): string {
  const first = r.model.inputs[0]?.path ?? 'memlens';
  return `memlens: ${first}${r.model.inputs.length > 1 ? ` (+${r.model.inputs.length - 1})` : ''}`;
}

function passesTable(r: AnalysisResult): SafeHtml {
  const titles = new Map(PASSES.map((p) => [p.id, p.title]));
  const counts = new Map<string, number>();
  for (const f of r.findings) counts.set(f.pass, (counts.get(f.pass) ?? 0) + 1);
  const rows = r.passes.map(
    (p) =>
      html`<tr><td class="mono">${p.id}</td><td>${titles.get(p.id) ?? ''}</td><td>${p.status === 'ran' ? 'ran' : html`<span class="badge ${p.status === 'error' ? 'critical' : 'info'}">${p.status}</span>`}</td><td class="num">${counts.get(p.id) ?? 0}</td><td>${p.reason ?? ''}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="passes">
<thead><tr><th>pass</th><th>checks</th><th>status</th><th class="num">findings</th><th>note</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="muted"><code>memlens explain PASS</code> says what a pass checks and why; thresholds change with <code>--set</code>.</p>`;
}
