import { iso } from '../util/time.js';
import { byText } from './order.js';
import type { BatchRow, InputFacts, UnreadFacts } from './types.js';

export const BATCH_SCHEMA = 'memlens/batch@1';

// The file a row links to, in order of preference among those its report has.
const MAIN_FILES = ['report.html', 'summary.md', 'findings.json', 'containers.csv'];

// Rows most in need of a look first: critical and warning reports, then inputs that failed.
const ORDER = ['critical', 'warning', 'failed', 'info', 'ok', 'interrupted', 'pending'];

function rankOf(r: BatchRow): number {
  return ORDER.indexOf(r.status === 'ok' ? (r.stats?.worstSeverity ?? 'ok') : r.status);
}

/** The one order every output uses: most severe first, then by name. Independent of timing. */
export function sortRows(rows: BatchRow[]): BatchRow[] {
  return [...rows].sort((a, b) => rankOf(a) - rankOf(b) || byText(a.name, b.name));
}

/** Relative link from the index to a row's report, or null when it has none. */
export function reportLink(r: BatchRow): string | null {
  if (r.status !== 'ok' || !r.stats) return null;
  const main = MAIN_FILES.find((f) => r.stats!.files.includes(f)) ?? r.stats.files[0];
  return main ? `${r.name}/${main}` : `${r.name}/`;
}

export function isUnread(f: InputFacts | UnreadFacts): f is UnreadFacts {
  return f.format === null;
}

/** The severity shown for a row: its worst container, or its status when it has no report. */
export function rowSeverity(r: BatchRow): string {
  return r.status === 'ok' ? (r.stats?.worstSeverity ?? 'ok') : r.status;
}

export interface SummaryMeta {
  generatedAt: number;
  fingerprint: string;
  totals: Record<string, number>;
}

/** summary.json: the rows for scripts, and what a re-run needs to skip up-to-date reports. */
export function toSummaryJson(rows: BatchRow[], meta: SummaryMeta) {
  return {
    schema: BATCH_SCHEMA,
    generatedAt: new Date(meta.generatedAt).toISOString(),
    fingerprint: meta.fingerprint,
    totals: meta.totals,
    rows: sortRows(rows).map((r) => ({
      name: r.name,
      status: r.status,
      severity: rowSeverity(r),
      reused: r.reused,
      report: reportLink(r),
      generatedAt: r.generatedAt,
      error: r.error,
      inputs: r.inputs.map((f) => (isUnread(f) ? f : { ...f, start: iso(f.start), end: iso(f.end) })),
      stats: r.stats,
    })),
  };
}

export type SummaryJson = ReturnType<typeof toSummaryJson>;

const CSV_COLUMNS = [
  'report',
  'status',
  'severity',
  'verdict',
  'containers',
  'containers_flagged',
  'containers_critical',
  'containers_warning',
  'containers_info',
  'oom_kills',
  'findings',
  'window_start',
  'window_end',
  'inputs',
  'formats',
  'nodes',
  'up_to_date',
  'link',
  'error',
] as const;

/** summary.csv: the index rows for spreadsheets; several inputs or nodes are joined with ';'. */
export function toSummaryCsv(rows: BatchRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of sortRows(rows)) {
    const s = r.stats;
    const cells: Record<(typeof CSV_COLUMNS)[number], string | number> = {
      report: r.name,
      status: r.status,
      severity: rowSeverity(r),
      verdict: s?.verdict ?? '',
      containers: s?.containers ?? '',
      containers_flagged: s?.flagged ?? '',
      containers_critical: s?.critical ?? '',
      containers_warning: s?.warning ?? '',
      containers_info: s?.info ?? '',
      oom_kills: s?.oomKills ?? '',
      findings: s?.findings ?? '',
      window_start: s?.windowStart ?? '',
      window_end: s?.windowEnd ?? '',
      inputs: r.inputs.map((f) => f.path).join(';'),
      formats: [...new Set(r.inputs.map((f) => f.format ?? 'unknown'))].join(';'),
      nodes: [...new Set(r.inputs.flatMap((f) => (isUnread(f) ? [] : f.nodes)))].join(';'),
      up_to_date: r.reused ? 'yes' : 'no',
      link: reportLink(r) ?? '',
      error: r.error ?? '',
    };
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * RFC 4180 quoting, plus a leading apostrophe on text that a spreadsheet would run as a formula
 * (=, +, -, @): input names come from anywhere, and a summary must not execute them.
 */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
