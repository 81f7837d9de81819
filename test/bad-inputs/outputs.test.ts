import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html/escape.js';
import { cli } from '../helpers/cli.js';
import { fixturePath, scratch } from '../helpers/fixtures.js';
import { exportBytes } from './helpers.js';

/**
 * What a bad input leaves in every output: partial data is analysed, its warning reaches
 * findings.json `inputs[].warnings`, report.html and stderr, and an input that cannot be used is
 * listed with its one-line reason while the others are analysed.
 */
const s = scratch();
afterAll(() => s.done());

let cut: string;
let junk: string;
let cutExport: string;
beforeAll(() => {
  const capture = readFileSync(fixturePath('healthy'));
  cut = join(s.dir, 'memory-cut.tar.gz');
  writeFileSync(cut, capture.subarray(0, Math.floor(capture.length * 0.6)));
  junk = join(s.dir, 'notes.bin');
  writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  const gz = gzipSync(exportBytes('query-csv-py.csv'));
  cutExport = join(s.dir, 'query.csv.gz');
  writeFileSync(cutExport, gz.subarray(0, Math.floor(gz.length / 2)));
});

const CUT_WARNING = (path: string) =>
  `${path}: the archive ends early (truncated) after entry 2026-11-27T19:25:38Z/kubepods/pod5b8f6b28-0092-5173-90b6-463d49c6aa8c/19ef7ce27293f81d1bf16e8fe5215efaab9eb4c86a88382e8d48acf3814a39a3/memory.memsw.max_usage_in_bytes; kept the 536 cgroup files read so far (the last snapshot may be incomplete). Copy the file again completely to read the rest`;
const EXPORT_WARNING = (path: string) =>
  `${path}: the gzip data ends early (truncated) at line 411; kept the 410 complete lines before it. Copy the file again completely to read the rest`;

describe('warnings of partial inputs reach every output', () => {
  it('findings.json inputs[].warnings, report.html, stderr; the unreadable input is listed with its reason', async () => {
    const out = join(s.dir, 'report');
    const r = await cli('analyze', cut, cutExport, junk, '--out', out);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(json.inputs.map((i: { path: string; warnings: string[] }) => [i.path, i.warnings])).toEqual([
      [cut, [CUT_WARNING(cut)]],
      [cutExport, [EXPORT_WARNING(cutExport)]],
      [junk, []],
    ]);
    const reason = `${junk}: is in no format memlens knows: it is binary data (416 of its first 4096 bytes are not text). Tried cgroup-capture, grafana-csv, prometheus-csv, victoriametrics-csv, prometheus-json, victoriametrics-json, promtool-text, prometheus-exposition; docs/exports.md says how to export each`;
    expect(json.inputs[2]).toMatchObject({ format: 'unknown', samples: 0, error: reason });
    // The partial inputs were analysed: the capture's containers are there.
    expect(json.inputs[0].samples).toBeGreaterThan(0);
    expect(json.inputs[1].samples).toBeGreaterThan(0);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`<li>⚠ ${escapeHtml(CUT_WARNING(cut))}</li>`);
    expect(html).toContain(`<li>⚠ ${escapeHtml(EXPORT_WARNING(cutExport))}</li>`);
    expect(html).toContain(`not read: ${escapeHtml(reason)}`);

    expect(r.stderrLines).toEqual([
      `memlens: ${reason}`,
      `warning: ${CUT_WARNING(cut)}`,
      `warning: ${EXPORT_WARNING(cutExport)}`,
    ]);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('memory-cut.tar.gz');
  });

  it('one unusable input alone: exit 2 and exactly one line on stderr, no stack trace', async () => {
    const r = await cli('analyze', junk, '--out', join(s.dir, 'none'));
    expect(r.code).toBe(2);
    expect(r.stderrLines).toEqual([
      `memlens: ${junk}: is in no format memlens knows: it is binary data (416 of its first 4096 bytes are not text). Tried cgroup-capture, grafana-csv, prometheus-csv, victoriametrics-csv, prometheus-json, victoriametrics-json, promtool-text, prometheus-exposition; docs/exports.md says how to export each`,
    ]);
  });

  it('--max-input-bytes stops a large input and says so in findings.json', async () => {
    const out = join(s.dir, 'limited');
    const gz = join(s.dir, 'whole.csv.gz');
    writeFileSync(gz, gzipSync(exportBytes('query-csv-py.csv')));
    const r = await cli('analyze', gz, '--max-input-bytes', '20000', '--out', out, '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(json.inputs[0].warnings).toEqual([
      `${gz}: reading stopped at line 51, after 19765 decompressed bytes: the read limit (--max-input-bytes 20000). The rest was not read; if the input really is that large, raise --max-input-bytes`,
    ]);
  });

  it('a hostile input cannot split a warning into lines or drive the terminal', async () => {
    const path = join(s.dir, 'evil.csv');
    writeFileSync(
      path,
      'name,timestamp,value,pod\ncontainer_memory_rss,1700000000,"1\n\u001b[2J\u001b]0;pwned\u0007",a\ncontainer_memory_rss,1700000015,5,a\n',
    );
    const r = await cli('analyze', path, '--out', join(s.dir, 'evil'), '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stderrLines).toEqual([
      `warning: ${path}:2: "1\\n\\u001b[2J\\u001b]0;pwned\\u0007" is not a number; sample skipped`,
    ]);
  });
});
