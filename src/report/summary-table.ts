import type { AnalysisResult } from '../result.js';
import { formatBytes, formatPercent } from '../util/bytes.js';
import { textTable } from '../util/table.js';
import { killsText } from './kills.js';

/** The short per-container table `memlens analyze` prints to stdout. */
export function summaryTable(r: AnalysisResult): string {
  if (r.containers.length === 0) return 'No containers found in the inputs.';
  const rows = r.containers
    .slice()
    .sort((a, b) => rank(b.severity) - rank(a.severity) || a.entity.key.localeCompare(b.entity.key))
    .map((c) => [
      c.entity.key,
      c.unlimited ? 'none' : formatBytes(c.limitBytes),
      formatBytes(c.peak.usageBytes),
      formatBytes(c.peak.workingSetBytes),
      formatPercent(c.cacheShareAtPeak),
      killsText(c),
      c.verdict
        ? `${c.severity}: ${c.verdict}`
        : c.peak.workingSetBytes == null
          ? 'ok? (no working set in the data)'
          : c.limitBytes === null && !c.unlimited
            ? 'ok? (no limit in the data)'
            : 'ok',
    ]);
  return textTable(
    ['container', 'limit', 'peak usage', 'peak working set', 'cache share', 'OOM kills', 'verdict'],
    rows,
  );
}

function rank(s: string): number {
  return ['ok', 'info', 'warning', 'critical'].indexOf(s);
}
