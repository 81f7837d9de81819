import { finiteLimit } from '../util/series.js';
import { runDuration, runsWhere } from './lib/runs.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

/**
 * Usage exceeds the working set by a large share: the difference is inactive file cache, which
 * the kernel reclaims before anything else. A usage-based alert on such a container is a false
 * alarm; the working set (what the kubelet and `kubectl top` use) tells the truth.
 */
export default definePass({
  id: 'cache-inflated-usage',
  title: 'Usage inflated by reclaimable file cache',
  description:
    'container_memory_usage_bytes counts page cache the kernel drops under pressure. When most of the gap between usage and the limit is inactive cache, ' +
    'a "memory at 95 %" alert is a false alarm and raising the limit would only grow the cache.',
  checks:
    'Flags a container whose usage exceeds its working set by at least minShare of usage and minBytes (that gap is inactive file cache), at the moment the gap was largest, ' +
    'and says whether a usage alert at alertShare of the limit would have fired while the working set stayed below that line.',
  limitations: [
    'From Prometheus data the inactive file cache is usage − working set; when cAdvisor clamped the working set at 0 the gap is overstated.',
    'It looks at usage against the working set only: whether the cache is harmless or thrashing is usage-pinned-by-cache’s question.',
  ],
  requires: ['usage', 'workingSet'],
  options: {
    minShare: {
      default: 0.25,
      reason:
        'A quarter of usage is where a usage-based dashboard starts to mislead: an alert at 90 % of the limit would fire while the working set is below 70 %.',
    },
    minBytes: {
      default: 16 * 1024 * 1024,
      reason:
        'Below 16 MiB the gap is within the noise of runtime and library mappings and would not move any alert.',
    },
    alertShare: {
      default: 0.9,
      reason:
        'The usual "container memory near its limit" alert line: 90 % of the limit. The pass says whether an alert on usage at this share would have fired while the working set stayed below it.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const usage = s.col('usage')!;
      const ws = s.col('workingSet')!;
      const limit = s.col('limit');
      let worst = -1;
      let first = -1;
      let last = -1;
      let samples = 0;
      let total = 0;
      let peakUsageShare = Number.NaN;
      for (let i = 0; i < s.length; i++) {
        const u = usage[i];
        const w = ws[i];
        if (Number.isNaN(u) || Number.isNaN(w) || u <= 0) continue;
        total++;
        const l = finiteLimit(limit?.[i]);
        if (l !== undefined && !(u / l <= peakUsageShare)) peakUsageShare = u / l;
        const gap = u - w;
        if (gap < options.minBytes || gap / u < options.minShare) continue;
        samples++;
        if (first < 0) first = i;
        last = i;
        // The worst moment is where cache adds the most bytes to usage: where an alert misleads most.
        if (worst < 0 || gap > usage[worst] - ws[worst]) worst = i;
      }
      if (worst < 0) continue;
      // Samples where usage crosses the alert line but the working set does not: false alarms.
      const shareOf = (c: Float64Array, i: number) => {
        const l = finiteLimit(limit?.[i]);
        return l === undefined || Number.isNaN(c[i]) ? undefined : c[i] / l;
      };
      const falseAlert = runsWhere(s, (i) => {
        const u = shareOf(usage, i);
        const w = shareOf(ws, i);
        return u === undefined || w === undefined
          ? undefined
          : u >= options.alertShare && w < options.alertShare;
      });
      let wsDuringAlert = 0;
      for (const r of falseAlert)
        for (let i = r.start; i <= r.end; i++) wsDuringAlert = Math.max(wsDuringAlert, shareOf(ws, i) ?? 0);
      const gap = usage[worst] - ws[worst];
      out.push({
        code: 'cache-inflated-usage/inflated',
        severity: 'info',
        entity: s.entity,
        evidence: {
          usageBytes: usage[worst],
          workingSetBytes: ws[worst],
          inactiveFileBytes: gap,
          share: gap / usage[worst],
          at: s.t[worst],
          limitBytes: finiteLimit(limit?.[worst]),
          samples,
          totalSamples: total,
          alertShare: options.alertShare,
          falseAlertSamples: falseAlert.reduce((n, r) => n + r.samples, 0),
          falseAlertMs: falseAlert.reduce((n, r) => n + runDuration(s, r), 0),
          falseAlertFrom: falseAlert.length ? s.t[falseAlert[0].start] : undefined,
          workingSetShareDuringAlert: falseAlert.length ? wsDuringAlert : undefined,
          peakUsageShare: Number.isNaN(peakUsageShare) ? undefined : peakUsageShare,
        },
        from: s.t[first],
        to: s.t[last],
      });
    }
    return out;
  },
});
