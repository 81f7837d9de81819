import { escapeHtml } from '../report/html/escape.js';
import { formatTime } from '../util/time.js';
import { reportLink, rowSeverity, sortRows } from './summary.js';
import type { BatchRow } from './types.js';

export interface IndexMeta {
  generatedAt: number;
  /** The batch output folder as the user named it. */
  out: string;
  totals: {
    inputs: number;
    reports: number;
    groups: number;
    failed: number;
    interrupted: number;
    reused: number;
  };
}

/** Text for HTML content and attribute values: nothing an input name holds can become markup. */
export function esc(s: string | number): string {
  return escapeHtml(String(s));
}

/** A relative link with every path segment percent-encoded ('#', '?', '%' in names stay names). */
export function href(rel: string): string {
  return rel
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

// No script, no external resource: the policy makes the page provably offline.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:20px;margin:0 0 4px}
p.meta{color:#57606a;margin:0 0 16px}
ul.totals{list-style:none;padding:0;margin:0 0 16px;display:flex;gap:16px;flex-wrap:wrap}
ul.totals li{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:4px 10px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d8dee4;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.critical{background:#cf222e}.warning{background:#bf8700}.info{background:#0969da}.ok{background:#1a7f37}
.failed{background:#6e7781}.interrupted,.pending{background:#8c959f}
.inputs{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:#424a53;overflow-wrap:anywhere;min-width:18em}
summary{cursor:pointer}
td:first-child{word-break:break-word;min-width:12em}
td.v{overflow-wrap:anywhere}
td.w{min-width:11em}
.note{color:#57606a;font-size:12px}
.error{color:#a40e26}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th,ul.totals li{background:#161b22;border-color:#30363d}td{border-color:#30363d}.inputs,.note,p.meta{color:#9198a1}a{color:#4493f8}.error{color:#ff7b72}}
`;

/** index.html: one row per report (input or group) with its verdict, linked to the report. */
export function renderIndex(rows: BatchRow[], meta: IndexMeta): string {
  const t = meta.totals;
  const totals = [
    `${t.inputs} input${t.inputs === 1 ? '' : 's'}`,
    `${t.reports} report${t.reports === 1 ? '' : 's'}${t.groups ? ` (${t.groups} of grouped inputs)` : ''}`,
    `${t.failed} failed`,
    ...(t.interrupted ? [`${t.interrupted} not analysed (interrupted)`] : []),
    ...(t.reused ? [`${t.reused} up to date from an earlier run`] : []),
  ];
  const body = sortRows(rows).map(renderRow).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>memlens batch: ${esc(meta.out)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>memlens batch</h1>
<p class="meta">${esc(meta.out)} · written ${esc(formatTime(meta.generatedAt))}</p>
<ul class="totals">${totals.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
<table>
<thead><tr><th>report</th><th>worst</th><th>verdict</th><th>containers flagged</th><th>OOM kills</th><th>window</th><th>inputs</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
<p class="note">Flagged: containers whose worst finding is a warning or critical. Rows are ordered most severe first.</p>
</body>
</html>
`;
}

function renderRow(r: BatchRow): string {
  const s = r.stats;
  const link = reportLink(r);
  const name = link ? `<a href="${esc(href(link))}">${esc(r.name)}</a>` : esc(r.name);
  const sev = rowSeverity(r);
  const notes: string[] = [];
  if (r.reused)
    notes.push(`up to date, written ${r.generatedAt ? formatTime(Date.parse(r.generatedAt)) : '?'}`);
  if (s?.warningCount) {
    const text = `${s.warningCount} input warning${s.warningCount === 1 ? '' : 's'}`;
    // The first warnings on hover; the report has them all.
    notes.push(`<span title="${esc(s.warnings.join('\n'))}">${esc(text)}</span>`);
  }
  const verdict = r.error
    ? `<span class="error">${esc(r.error)}</span>`
    : esc(s?.verdict ?? (s ? 'no findings' : ''));
  const window = s?.windowStart ? esc(formatWindow(s.windowStart, s.windowEnd)) : '';
  return `<tr><td>${name}${notes.length ? `<br><span class="note">${notes.map((n) => (n.startsWith('<') ? n : esc(n))).join(' · ')}</span>` : ''}</td><td><span class="sev ${esc(sev)}">${esc(sev)}</span></td><td class="v">${verdict}</td><td class="n">${s ? `${s.flagged} / ${s.containers}` : ''}</td><td class="n">${s ? s.oomKills : ''}</td><td class="note w">${window}</td><td class="inputs">${renderInputs(r)}</td></tr>`;
}

/** The inputs of a row; a long series folds into a <details> that opens without script. */
function renderInputs(r: BatchRow): string {
  const formats = [...new Set(r.inputs.map((f) => f.format).filter((f): f is string => f !== null))];
  const kind = formats.length ? `<br><span class="note">${esc(formats.join(', '))}</span>` : '';
  const list = r.inputs.map((f) => esc(f.path)).join('<br>');
  if (r.inputs.length <= 3) return `${list}${kind}`;
  const first = r.inputs[0].path;
  const last = r.inputs.at(-1)!.path;
  return `<details><summary>${r.inputs.length} inputs: ${esc(first)} … ${esc(last)}</summary>${list}</details>${kind.replace('<br>', '')}`;
}

/** "2026-11-27 19:16:50 – 19:17:07 UTC"; the end's date only when it differs. */
function formatWindow(start: string, end: string | null): string {
  const a = formatTime(Date.parse(start)).replace(/ UTC$/, '');
  if (!end) return `${a} UTC`;
  const b = formatTime(Date.parse(end)).replace(/ UTC$/, '');
  return `${a} – ${b.slice(0, 10) === a.slice(0, 10) ? b.slice(11) : b} UTC`;
}
