import type { ContainerSeverity } from '../passes/types.js';
import { SEVERITY_RANK } from '../passes/types.js';
import { verdictSentence } from '../report/verdict.js';
import type { AnalysisResult } from '../result.js';
import { iso } from '../util/time.js';
import type { ReportStats } from './types.js';

// The index shows a few warnings per row; the report itself has them all.
const WARNINGS_KEPT = 5;

/** The row numbers of one analysed report: counts only, taken from the result as it is. */
export function statsOf(r: AnalysisResult, files: string[]): ReportStats {
  const by: Record<ContainerSeverity, number> = { critical: 0, warning: 0, info: 0, ok: 0 };
  let worst: ContainerSeverity = 'ok';
  let oomKills = 0;
  for (const c of r.containers) {
    by[c.severity]++;
    if (SEVERITY_RANK[c.severity] > SEVERITY_RANK[worst]) worst = c.severity;
    oomKills += c.oomKills ?? 0;
  }
  // The same one-sentence verdict the report's header shows.
  const verdict = r.findings.length || !r.containers.length ? verdictSentence(r) : null;
  const warnings = [
    ...r.failedInputs.map((f) => f.message),
    ...r.model.inputs.flatMap((i) => i.warnings.map((w) => (w.startsWith(i.path) ? w : `${i.path}: ${w}`))),
  ];
  return {
    files,
    windowStart: iso(r.model.window.start),
    windowEnd: iso(r.model.window.end),
    containers: r.containers.length,
    critical: by.critical,
    warning: by.warning,
    info: by.info,
    flagged: by.critical + by.warning,
    findings: r.findings.length,
    oomKills,
    worstSeverity: worst,
    verdict,
    warnings: warnings.slice(0, WARNINGS_KEPT).map(oneLine),
    warningCount: warnings.length,
  };
}

export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
