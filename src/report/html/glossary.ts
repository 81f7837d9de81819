import type { MetricName } from '../../model/metrics.js';
import { metricDef } from '../../model/metrics.js';
import type { SafeHtml } from './escape.js';
import { html, prose } from './escape.js';

/** The metrics the report's charts and tables show, in reading order. */
export const GLOSSARY: readonly MetricName[] = [
  'usage',
  'workingSet',
  'rss',
  'cache',
  'activeFile',
  'inactiveFile',
  'shmem',
  'kernel',
  'limit',
  'oomKills',
];

/** The glossary, from the same metric table `memlens explain` prints: no second copy of a sentence. */
export function glossarySection(): SafeHtml {
  const items = GLOSSARY.map((name) => metricDef(name)!).map(
    (m) => html`<dt id="metric-${m.name}">${m.title} <span class="muted mono">${m.name}</span></dt>
<dd>${prose(m.description)}
<div class="how">${m.v1 ? html`cgroup v1: <code>${m.v1}</code><br>` : ''}${m.v2 ? html`cgroup v2: <code>${m.v2}</code><br>` : ''}${m.prometheus ? html`Prometheus: <code>${m.prometheus}</code>` : ''}</div></dd>`,
  );
  return html`<dl class="glossary">${items}</dl>
<p class="muted">More: <code>memlens explain METRIC</code> prints the same entries.</p>`;
}
