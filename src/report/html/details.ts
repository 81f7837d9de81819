import type { AnalysisResult, ContainerSummary } from '../../result.js';
import { formatBytes } from '../../util/bytes.js';
import type { RenderedChart } from '../charts/index.js';
import { sectionId } from '../charts/index.js';
import { bytesCell, times } from '../format.js';
import { killsText } from '../kills.js';
import type { SafeHtml } from './escape.js';
import { assertSafeSvg, html, prose } from './escape.js';
import { badge } from './tables.js';

/** Fields other helpers add to the summary; rendered when present, never computed here. */
type Extras = { narrative?: string | null };

/** A chart as a figure: the static SVG (always), its caption, and an id the interactive loader finds. */
export function chartFigure(chart: RenderedChart, caption: SafeHtml | string): SafeHtml {
  return html`<figure class="chart" id="chart-${chart.id}" data-kind="${chart.kind}">
${
  chart.svg === null
    ? html`<p class="chart-missing muted">${chart.error ?? 'no chart'}</p>`
    : html`<div class="static" role="img" aria-label="${chart.spec.description ?? chart.title}">${assertSafeSvg(chart.svg)}</div>`
}
<figcaption>${caption}</figcaption>
</figure>`;
}

/** One container: identity, key numbers, the composition chart with the findings beside it. */
export function containerSection(
  r: AnalysisResult,
  c: ContainerSummary,
  chart: RenderedChart,
  tz?: string,
): SafeHtml {
  const e = c.entity;
  const findings = r.findings.filter((f) => f.entity === e);
  const narrative = (c as ContainerSummary & Extras).narrative;
  const identity = [
    e.namespace && `namespace ${e.namespace}`,
    e.pod && `pod ${e.pod}`,
    e.container && `container ${e.container}`,
    e.qos && `QoS ${e.qos}`,
    e.node && `node ${e.node}`,
    e.containerId && `ID ${e.containerId.slice(0, 12)}`,
    e.cgroupVersion && `cgroup v${e.cgroupVersion}`,
  ].filter((x): x is string => Boolean(x));
  const d = chart.composition;
  const estimated = d ? d.parts.filter((p) => p.estimated).map((p) => p.label) : [];
  const caption = html`${
    estimated.length
      ? html`<strong>Estimated</strong> (pale): ${estimated.join(', ')}, derived from other series, not measured. `
      : ''
  }${d && d.drawn < d.samples ? `${d.drawn} of ${d.samples} samples drawn (each bucket's lowest and highest usage). ` : ''}${
    d?.kills.length ? 'Red rules: OOM kills (the band before each is the interval it happened in). ' : ''
  }${c.unlimited ? 'No limit.' : ''}`;
  return html`<article class="container ${c.severity}" id="${sectionId(c)}">
<h3>${badge(c.severity)} ${e.key}</h3>
<p class="identity">${identity.join(' · ')}${e.cgroup ? html`<br><span class="mono">${e.cgroup}</span>` : ''}</p>
<dl class="numbers">
${num('limit', bytesCell(c.limitBytes, c.unlimited))}
${num('peak usage', bytesCell(c.peak.usageBytes))}
${num('peak working set', bytesCell(c.peak.workingSetBytes))}
${num('peak anon', bytesCell(c.peak.rssBytes))}
${num('peak cache', bytesCell(c.peak.cacheBytes))}
${c.peak.shmemBytes ? num('peak shmem/tmpfs', bytesCell(c.peak.shmemBytes)) : ''}
${num('OOM kills', killsText(c))}
${c.recommendedLimitBytes !== null ? num('recommended limit', formatBytes(c.recommendedLimitBytes)) : ''}
</dl>
<div class="detail">
${chartFigure(chart, caption)}
<div class="messages">
${narrative ? html`<p class="narrative">${narrative}</p>` : ''}
${
  findings.length
    ? findings.map((f) => {
        const from = times(f.from, tz);
        const to = times(f.to, tz);
        return html`<div class="finding ${f.severity}"><h4>${badge(f.severity)} ${f.title}</h4><p>${prose(f.message)}</p><p class="when">${from.utc}${f.to !== f.from ? ` – ${to.utc}` : ''}${from.local ? ` (${from.local})` : ''}</p></div>`;
      })
    : html`<p class="muted">No findings for this container.</p>`
}
</div>
</div>
</article>`;
}

function num(label: string, value: string): SafeHtml {
  return html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
}
