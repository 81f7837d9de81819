import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { runCli } from '../../src/cli/program.js';
import { renderHtml } from '../../src/report/html/page.js';
import { summaryMarkdown } from '../../src/report/markdown.js';
import type { AnalysisResult } from '../../src/result.js';
import { scratch } from '../helpers/fixtures.js';
import { tarOf } from './helpers.js';

/**
 * Every string memlens takes from an input — file names, label values, cgroup folder names, the
 * node name of a capture manifest, text quoted in warnings, the reason an input failed — carries
 * a canary: a numbered marker followed by markup. In report.html (static and interactive),
 * summary.md and a batch's index.html, no canary may appear as markup, and each must appear
 * escaped: the second half proves the string reached the page, so the first half can fail.
 */
// No '/': file and folder names carry canaries too.
const canary = (n: number) => `Q${n}<x7 y='${n}' z="1">&amp;|<!--`;
const CANARIES = {
  namespace: 1,
  pod: 2,
  container: 3,
  node: 4,
  exportName: 5,
  warning: 6,
  failedName: 7,
  cgroupFolder: 8,
  manifestHost: 9,
  podWithNewline: 10,
} as const;

const s = scratch();
afterAll(() => s.done());
const dir = join(s.dir, 'inputs');
let result: AnalysisResult;

const LIMIT = 512 * 1024 * 1024;
function exportJson(): string {
  const labels = (pod: string) => ({
    namespace: canary(CANARIES.namespace),
    pod,
    container: canary(CANARIES.container),
    node: canary(CANARIES.node),
    id: `/kubepods/burstable/pod0b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10/${'e'.repeat(64)}${pod.length}`,
  });
  const series = (name: string, pod: string, v: (i: number) => number) => ({
    metric: { __name__: name, ...labels(pod) },
    values: Array.from({ length: 40 }, (_, i) => [1_700_000_000 + i * 15, String(v(i))]),
  });
  const result = [canary(CANARIES.pod), `${canary(CANARIES.podWithNewline)}\nsecond line`].flatMap((pod) => [
    // Usage at the limit, working set far below: a cache-inflated container, so it has findings.
    series('container_memory_usage_bytes', pod, () => LIMIT * 0.97),
    series('container_memory_working_set_bytes', pod, () => LIMIT * 0.4),
    series('container_memory_rss', pod, () => LIMIT * 0.3),
    series('container_memory_cache', pod, () => LIMIT * 0.67),
    series('container_spec_memory_limit_bytes', pod, () => LIMIT),
  ]);
  // A sample that is not a number: its warning quotes the input.
  result[0].values.push([1_700_000_600, canary(CANARIES.warning)]);
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

async function captureTar(): Promise<Buffer> {
  const cg = `kubepods/burstable/pod1b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10/${canary(CANARIES.cgroupFolder)}`;
  const entries = [0, 10, 20].flatMap((sec) => {
    const d = `2026-11-27T19:00:${String(sec).padStart(2, '0')}Z/${cg}`;
    return [
      // A folder named like no container memlens knows: it surfaces in the warning about this file.
      { name: `${d}/memory.failcnt`, body: 'oops\n' },
      { name: `${d}/memory.usage_in_bytes`, body: `${250 << 20}\n` },
      { name: `${d}/memory.limit_in_bytes`, body: `${256 << 20}\n` },
      {
        name: `${d}/memory.stat`,
        body: `cache ${200 << 20}\nrss ${50 << 20}\ntotal_cache ${200 << 20}\ntotal_rss ${50 << 20}\ntotal_inactive_file ${190 << 20}\n`,
      },
    ];
  });
  entries.push({
    name: 'manifest.json',
    body: JSON.stringify({ format: 'memlens-capture', host: canary(CANARIES.manifestHost) }),
  });
  return tarOf(entries);
}

let exportPath: string;
let capturePath: string;
let failedPath: string;
beforeAll(async () => {
  mkdirSync(dir);
  exportPath = join(dir, `${canary(CANARIES.exportName)}.json`);
  writeFileSync(exportPath, exportJson());
  capturePath = join(dir, 'capture.tar');
  writeFileSync(capturePath, await captureTar());
  failedPath = join(dir, `${canary(CANARIES.failedName)}.bin`);
  writeFileSync(failedPath, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  result = await analyze([{ path: exportPath }, { path: capturePath }, { path: failedPath }], {
    now: Date.UTC(2026, 11, 1),
  });
});

/** No canary is markup; each listed one is there, escaped as the context needs. */
function expectEscaped(text: string, present: number[], escaped: (n: number) => string) {
  expect(text).not.toMatch(/<x7/i);
  expect(text).not.toContain('<!--');
  const missing = present.filter((n) => !text.includes(escaped(n)));
  expect(missing).toEqual([]);
}

// Up to the double quote, which a warning quoting JSON writes as \": enough to show all was escaped.
const HTML_ESCAPED = (n: number) => `Q${n}&lt;x7 y=&#39;${n}&#39; z=`;

describe('every input-derived string is escaped', () => {
  it('the analysis carries every canary (else the checks below could not fail)', () => {
    const keys = result.containers.map((c) => c.entity.key).join('\n');
    expect(keys).toContain(canary(CANARIES.pod));
    const warnings = result.model.inputs.flatMap((i) => i.warnings).join('\n');
    expect(warnings).toContain(canary(CANARIES.cgroupFolder));
    expect(warnings).toContain(`Q${CANARIES.warning}<x7`);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.failedInputs.map((f) => f.path)).toEqual([failedPath]);
  });

  it('report.html, static: text, attributes, chart SVG', async () => {
    const html = await renderHtml(result);
    expectEscaped(html, Object.values(CANARIES), HTML_ESCAPED);
    // Chart labels are drawn by vega as SVG text, escaped the same way.
    const svg = html.slice(html.indexOf('<svg'), html.lastIndexOf('</svg>'));
    expect(svg).toContain(`Q${CANARIES.pod}&lt;x7`);
    // No attribute value closes early: no tag ever holds the canary's own attribute (in text
    // content, where quotes are harmless, vega leaves them as they are).
    expect(html).not.toMatch(/<[a-zA-Z][^<>]*\sz="1"/);
    expect(html).toContain('z=&quot;1&quot;');
  });

  it('report.html, interactive: the chart data islands too', async () => {
    const html = await renderHtml(result, { interactive: true });
    expectEscaped(html, Object.values(CANARIES), HTML_ESCAPED);
    const islands = [...html.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)];
    expect(islands.length).toBeGreaterThan(1);
    const data = islands.map((m) => m[1]).join('\n');
    expect(data).toContain(`Q${CANARIES.pod}\\u003cx7`);
    for (const m of islands) expect(() => JSON.parse(m[1])).not.toThrow();
  });

  it('summary.md: no markup, and no cell breaks its table row', () => {
    const md = summaryMarkdown(result);
    expectEscaped(md, [CANARIES.namespace, CANARIES.pod, CANARIES.exportName], (n) => `Q${n}&lt;x7`);
    for (const table of md.split('\n## ').slice(1)) {
      const rows = table.split('\n').filter((l) => l.startsWith('|'));
      const cells = (row: string) => row.replace(/\\\|/g, '').split('|').length;
      for (const row of rows) expect([row, cells(row)]).toEqual([row, cells(rows[0])]);
    }
  });

  it('a batch index.html and its reports', async () => {
    const out = join(s.dir, 'batch');
    const err: string[] = [];
    const code = await runCli(['node', 'memlens', 'batch', dir, '--out', out, '--jobs', '1', '-q'], {
      stdout: () => {},
      stderr: (x) => err.push(x),
    });
    expect(code).toBe(0);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expectEscaped(index, [CANARIES.exportName, CANARIES.failedName], HTML_ESCAPED);
    for (const report of readdirSync(out, { recursive: true }) as string[]) {
      if (!report.endsWith('.html') && !report.endsWith('.md')) continue;
      const text = readFileSync(join(out, report), 'utf8');
      expect([report, /<x7/i.test(text)]).toEqual([report, false]);
    }
  });
});
