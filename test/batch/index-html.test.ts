import { describe, expect, it } from 'vitest';
import { esc, href, renderIndex } from '../../src/batch/index-html.js';
import type { BatchRow } from '../../src/batch/types.js';

const hostile = '<img src=x onerror=alert(1)>"\'&';

const rows: BatchRow[] = [
  {
    name: 'node #1 100%',
    status: 'ok',
    reused: true,
    inputs: [
      {
        path: `in/${hostile}.tgz`,
        format: 'cgroup-capture',
        kind: 'cgroup',
        nodes: ['vm'],
        start: 0,
        end: 1,
        snapshots: 2,
        size: 1,
        mtimeMs: 1,
      },
    ],
    generatedAt: '2026-11-27T20:00:00.000Z',
    stats: {
      files: ['summary.md'],
      windowStart: '2026-11-27T19:16:50.000Z',
      windowEnd: '2026-11-27T19:17:07.000Z',
      containers: 3,
      critical: 1,
      warning: 0,
      info: 1,
      flagged: 1,
      findings: 3,
      oomKills: 2,
      worstSeverity: 'critical',
      verdict: `OOM-killed: ns/${hostile}/c`,
      warnings: [hostile],
      warningCount: 2,
    },
    error: null,
  },
  {
    name: 'bad',
    status: 'failed',
    reused: false,
    inputs: [{ path: `in/${hostile}.txt`, format: null, size: 1, mtimeMs: 1 }],
    generatedAt: null,
    stats: null,
    error: `is in no format memlens knows: ${hostile}`,
  },
];

const html = renderIndex(rows, {
  generatedAt: Date.parse('2026-11-27T20:00:00Z'),
  out: `reports/${hostile}`,
  totals: { inputs: 2, reports: 1, groups: 0, failed: 1, interrupted: 0, reused: 1 },
});

describe('index.html', () => {
  it('escapes every name, path, verdict and reason', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).toContain(esc(hostile));
    expect(esc(hostile)).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('loads nothing and runs nothing: no script, no external reference, a policy that forbids both', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(html).toContain(
      `content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"`,
    );
  });

  it('has one row per report with its link, worst severity, flagged containers and OOM kills', () => {
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    const trs = body.match(/<tr>/g) ?? [];
    expect(trs).toHaveLength(2);
    expect(body).toContain('<a href="node%20%231%20100%25/summary.md">node #1 100%</a>');
    expect(body).toContain('<span class="sev critical">critical</span>');
    expect(body).toContain('<td class="n">1 / 3</td><td class="n">2</td>');
    expect(body).toContain(
      `up to date, written 2026-11-27 20:00:00 UTC · <span title="${esc(hostile)}">2 input warnings</span>`,
    );
    expect(body).toContain('2026-11-27 19:16:50 – 19:17:07 UTC');
    expect(body).toContain('<span class="sev failed">failed</span>');
    expect(html).toContain(
      '<li>2 inputs</li><li>1 report</li><li>1 failed</li><li>1 up to date from an earlier run</li>',
    );
  });

  it('folds a long series of inputs into a summary that opens without script', () => {
    const inputs = Array.from({ length: 18 }, (_, i) => ({
      ...rows[1].inputs[0],
      path: `node-a/memory-${1795807010 + i}.tar.gz`,
    }));
    const page = renderIndex([{ ...rows[1], inputs }], {
      generatedAt: 0,
      out: 'r',
      totals: { inputs: 18, reports: 0, groups: 0, failed: 18, interrupted: 0, reused: 0 },
    });
    expect(page).toContain(
      '<details><summary>18 inputs: node-a/memory-1795807010.tar.gz … node-a/memory-1795807027.tar.gz</summary>',
    );
  });

  it('percent-encodes each link segment', () => {
    expect(href('a b/c#d?.html')).toBe('a%20b/c%23d%3F.html');
  });
});
