import type { ContainerSeverity } from '../../passes/types.js';
import { SEVERITY_RANK } from '../../passes/types.js';
import type { AnalysisResult } from '../../result.js';
import { formatDuration } from '../../util/time.js';
import { times } from '../format.js';
import { verdictSentence } from '../verdict.js';
import type { SafeHtml } from './escape.js';
import { html } from './escape.js';

export interface HeaderOptions {
  tz?: string;
}

/** Title, the one-sentence verdict, the incident window (UTC and --tz) and what was read. */
export function headerSection(r: AnalysisResult, opts: HeaderOptions): SafeHtml {
  const w = r.model.window;
  const worst = r.containers.reduce<ContainerSeverity>(
    (s, c) => (SEVERITY_RANK[c.severity] > SEVERITY_RANK[s] ? c.severity : s),
    'ok',
  );
  const start = times(w.start, opts.tz);
  const end = times(w.end, opts.tz);
  const generated = times(r.generatedAt, opts.tz);
  return html`<header>
<h1>Memory post-mortem</h1>
<p class="verdict ${worst}" id="verdict">${verdictSentence(r)}</p>
<dl class="facts">
<dt>Window (UTC)</dt><dd>${start.utc} – ${end.utc}${Number.isFinite(w.end - w.start) ? ` (${formatDuration(w.end - w.start)})` : ''}</dd>
${start.local ? html`<dt>Window (${opts.tz})</dt><dd>${start.local} – ${end.local}</dd>` : ''}
<dt>Containers</dt><dd>${r.containers.length} analysed, ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}</dd>
<dt>Generated</dt><dd>${generated.utc}${generated.local ? ` · ${generated.local}` : ''}</dd>
</dl>
${inputsTable(r)}
</header>`;
}

/** What each input was: format, node, cgroup version, samples, and its warnings. */
function inputsTable(r: AnalysisResult): SafeHtml {
  const rows = r.model.inputs.map((i) => {
    const ents = r.model.entities.filter((e) => e.sources.includes(i.path));
    const nodes = [...new Set(ents.map((e) => e.node).filter((n) => n))].sort();
    const versions = [...new Set(ents.map((e) => e.cgroupVersion).filter((v) => v))].sort();
    const containers = ents.filter((e) => e.role === 'container').length;
    const samples = ents.reduce((s, e) => s + e.rowEnd - e.rowStart, 0);
    return html`<tr><td class="mono key">${i.path}</td><td>${i.format}</td><td>${nodes.join(', ') || '—'}</td><td>${versions.length ? versions.map((v) => `v${v}`).join(', ') : '—'}</td><td class="num">${containers}</td><td class="num">${samples}</td></tr>
${i.warnings.length ? html`<tr><td colspan="6"><ul class="warnings">${i.warnings.map((w) => html`<li>⚠ ${w}</li>`)}</ul></td></tr>` : ''}`;
  });
  const failed = r.failedInputs.map(
    (f) => html`<tr><td class="mono key">${f.path}</td><td colspan="5">not read: ${f.message}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="inputs">
<thead><tr><th>input</th><th>format</th><th>node</th><th>cgroup</th><th class="num">containers</th><th class="num">samples</th></tr></thead>
<tbody>${rows}${failed}</tbody></table></div>`;
}
