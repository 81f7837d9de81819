import type { AnalysisResult, ContainerSummary } from '../../result.js';
import { formatBytes, formatPercent } from '../../util/bytes.js';
import type { ReportLayout } from '../charts/index.js';
import { bytesCell, times } from '../format.js';
import { killsText } from '../kills.js';
import type { SafeHtml } from './escape.js';
import { html, prose } from './escape.js';

export function badge(severity: string): SafeHtml {
  return html`<span class="badge ${severity}">${severity}</span>`;
}

/** Every finding, most severe first (the result's order), each linking to its container. */
export function findingsTable(r: AnalysisResult, layout: ReportLayout, tz?: string): SafeHtml {
  if (r.findings.length === 0) return html`<p>No findings.</p>`;
  const byEntity = new Map(r.containers.map((c) => [c.entity.index, c]));
  const rows = r.findings.map((f) => {
    const c = byEntity.get(f.entity.index);
    const from = times(f.from, tz);
    const to = times(f.to, tz);
    // The end without its date when it is the same day: "2026-11-27 19:16:54 UTC – 19:16:55 UTC".
    const sameDay = from.utc.slice(0, 10) === to.utc.slice(0, 10);
    const when = f.from === f.to ? from.utc : `${from.utc} – ${sameDay ? to.utc.slice(11) : to.utc}`;
    return html`<tr class="${f.severity}">
<td>${badge(f.severity)}</td>
<td class="key">${c ? html`<a href="${layout.anchorOf(c)}">${f.entity.key}</a>` : f.entity.key}</td>
<td><strong>${f.title}</strong><br><span class="muted">${prose(f.message)}</span></td>
<td class="when"${from.local ? html` title="${from.local}"` : ''}>${when}</td>
</tr>`;
  });
  return html`<div class="table-wrap"><table class="findings">
<thead><tr><th>severity</th><th>container</th><th>finding</th><th>when</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** One row per container: the numbers of containers.csv, linking to the detail section if any. */
export function containersTable(r: AnalysisResult, layout: ReportLayout): SafeHtml {
  const order = [...r.containers].sort(
    (a, b) => rank(a) - rank(b) || a.entity.key.localeCompare(b.entity.key),
  );
  const rows = order.map((c) => {
    const href = layout.anchorOf(c);
    const detailed = href.startsWith('#c-');
    return html`<tr id="row-${c.entity.index}" class="${c.severity}">
<td class="key">${detailed ? html`<a href="${href}">${c.entity.key}</a>` : c.entity.key}</td>
<td>${badge(c.severity)}</td>
<td>${c.verdict ?? ''}</td>
<td class="num">${bytesCell(c.limitBytes, c.unlimited)}</td>
<td class="num">${bytesCell(c.peak.usageBytes)}</td>
<td class="num">${bytesCell(c.peak.workingSetBytes)}</td>
<td class="num">${c.cacheShareAtPeak === null ? '—' : formatPercent(c.cacheShareAtPeak)}</td>
<td class="num">${killsText(c)}</td>
<td class="num">${c.recommendedLimitBytes === null ? '—' : formatBytes(c.recommendedLimitBytes)}</td>
</tr>`;
  });
  return html`<div class="table-wrap"><table class="containers">
<thead><tr><th>container</th><th>severity</th><th>verdict</th><th class="num">limit</th><th class="num">peak usage</th><th class="num">peak working set</th><th class="num">cache share at peak</th><th class="num">OOM kills</th><th class="num">recommended limit</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function rank(c: ContainerSummary): number {
  return ['critical', 'warning', 'info', 'ok'].indexOf(c.severity);
}
