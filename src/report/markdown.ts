import type { AnalysisResult } from '../result.js';
import { formatBytes, formatPercent } from '../util/bytes.js';
import { iso } from '../util/time.js';
import { formatInZone } from './format.js';
import { killsText } from './kills.js';
import { verdictSentence } from './verdict.js';

/** Escapes text for a Markdown table cell. */
function cell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** summary.md: the verdict, the findings and the per-container numbers, ready to paste into a ticket. */
export function summaryMarkdown(r: AnalysisResult, opts: { tz?: string } = {}): string {
  const w = r.model.window;
  const local =
    opts.tz && Number.isFinite(w.start)
      ? ` (${formatInZone(w.start, opts.tz)} – ${formatInZone(w.end, opts.tz)})`
      : '';
  const lines = [
    '# memlens summary',
    '',
    `**Verdict:** ${cell(verdictSentence(r))}`,
    '',
    `Window: ${iso(w.start) ?? '?'} – ${iso(w.end) ?? '?'}${local} · inputs: ${r.model.inputs.map((i) => `\`${cell(i.path)}\` (${i.format})`).join(', ')}`,
    '',
    ...caveats(r),
    '## Findings',
    '',
  ];
  if (r.findings.length === 0) lines.push('No findings.');
  else {
    lines.push('| severity | container | finding | details |', '|---|---|---|---|');
    for (const f of r.findings)
      lines.push(`| ${f.severity} | ${cell(f.entity.key)} | ${cell(f.title)} | ${cell(f.message)} |`);
  }
  lines.push(
    '',
    '## Containers',
    '',
    '| container | limit | peak usage | peak working set | cache share at peak | OOM kills | recommended limit | severity |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const c of r.containers) {
    lines.push(
      `| ${cell(c.entity.key)} | ${c.unlimited ? 'none' : formatBytes(c.limitBytes)} | ${formatBytes(c.peak.usageBytes)} | ${formatBytes(c.peak.workingSetBytes)} | ${formatPercent(c.cacheShareAtPeak)} | ${killsText(c)} | ${c.recommendedLimitBytes === null ? '—' : formatBytes(c.recommendedLimitBytes)} | ${c.severity} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** How many input warnings summary.md quotes; the rest are in findings.json and the report. */
const MAX_CAVEATS = 8;

/**
 * What the inputs' import had to guess, skip or could not read (a time zone read as UTC, rounded
 * values, lines skipped, inputs that failed): a ticket quoting the numbers should carry these too.
 */
function caveats(r: AnalysisResult): string[] {
  const all = [
    ...r.failedInputs.map((f) => f.message),
    ...r.model.inputs.flatMap((i) => i.warnings.map((w) => (w.startsWith(i.path) ? w : `${i.path}: ${w}`))),
  ];
  if (all.length === 0) return [];
  const more = all.length - MAX_CAVEATS;
  return [
    '## Input warnings',
    '',
    ...all.slice(0, MAX_CAVEATS).map((w) => `- ${cell(w)}`),
    ...(more > 0 ? [`- … and ${more} more (findings.json, report.html)`] : []),
    '',
  ];
}
