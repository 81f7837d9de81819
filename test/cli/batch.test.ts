import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBatchOut } from '../../src/cli/batch.js';
import { HEALTHY, mixedBatch, SNAPSHOTS_AND_A_RANGE } from '../batch/helpers.js';
import { cli } from '../helpers/cli.js';
import { fixture, scratch } from '../helpers/fixtures.js';

const s = scratch('memlens-cli-batch-');
afterAll(() => s.done());
const dir = join(s.dir, 'incidents');
let files: Record<string, string>;
beforeAll(() => {
  files = mixedBatch(dir);
});

describe('memlens batch', () => {
  it('reports every input: plain progress lines off a terminal, then one summary line', async () => {
    const out = join(s.dir, 'r-mixed');
    const r = await cli('batch', dir, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `7 inputs → 4 reports, 3 failed. Worst severity per report: 2 critical, 1 info, 1 ok.\nIndex: ${join(out, 'index.html')}`,
    );
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(7);
    for (const l of lines) expect(l).toMatch(/^memlens: \[\d\/7\] /);
    expect(lines.filter((l) => l.includes('FAILED'))).toHaveLength(3);
    expect(r.stderr).toContain(`FAILED ${files.unknown}: is in no format memlens knows`);
    expect(r.stderr).toMatch(
      new RegExp(
        `\\] ${files.truncated}: critical · 1 container OOM-killed twice .* · 3 containers · 1 input warning$`,
        'm',
      ),
    );
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  it('writes every report format by default, links the index to report.html, and puts --png charts in each report', async () => {
    const out = join(s.dir, 'r-html');
    const r = await cli(
      'batch',
      HEALTHY,
      files.oom,
      '-q',
      '--out',
      out,
      '--png',
      'charts',
      '--tz',
      'Europe/Berlin',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    for (const row of json.rows) {
      expect(row.report).toBe(`${row.name}/report.html`);
      expect(row.stats.files).toEqual(
        expect.arrayContaining(['report.html', 'findings.json', 'summary.md', 'containers.csv']),
      );
      const pngs = row.stats.files.filter((f: string) => f.startsWith('charts/'));
      expect(pngs.length).toBeGreaterThan(0);
      for (const f of row.stats.files) expect(existsSync(join(out, row.name, f))).toBe(true);
      expect(readFileSync(join(out, row.name, 'report.html'), 'utf8')).toContain('Europe/Berlin');
    }
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const row of json.rows) expect(index).toContain(`href="${row.name}/report.html"`);
    const bad = await cli('batch', HEALTHY, '--out', join(s.dir, 'r-png'), '--png', '/tmp/pngs');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--png "\/tmp\/pngs": in a batch, give a folder name inside each report folder/,
    );
  });

  it('exits 1 when a report reaches --fail-on, 0 when none does', async () => {
    expect(
      (await cli('batch', dir, '-q', '--out', join(s.dir, 'r-fail'), '--fail-on', 'critical')).code,
    ).toBe(1);
    expect((await cli('batch', HEALTHY, '-q', '--out', join(s.dir, 'r-ok'), '--fail-on', 'info')).code).toBe(
      0,
    );
  });

  it('exits 2 only when every input failed, and says how many failed', async () => {
    const out = join(s.dir, 'r-allbad');
    const r = await cli('batch', files.unknown, files.empty, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^2 inputs → 0 reports, 2 failed\./);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).totals.failed).toBe(2);
    // One good input among them is enough for the usual rule.
    expect((await cli('batch', files.unknown, HEALTHY, '-q', '--out', join(s.dir, 'r-onegood'))).code).toBe(
      0,
    );
  });

  it('is what `analyze --each` does', async () => {
    const a = join(s.dir, 'r-each');
    const b = join(s.dir, 'r-batch');
    expect((await cli('analyze', dir, '--each', '-q', '--out', a, '--jobs', '1')).code).toBe(0);
    expect((await cli('batch', dir, '-q', '--out', b, '-j', '2')).code).toBe(0);
    expect(readFileSync(join(a, 'summary.csv'), 'utf8')).toBe(readFileSync(join(b, 'summary.csv'), 'utf8'));
  });

  it('with -q prints only the inputs that failed; with --json prints summary.json', async () => {
    const q = await cli('batch', dir, '-q', '--out', join(s.dir, 'r-quiet'));
    expect(q.stdout).toBe('');
    expect(q.stderr.split('\n').sort()).toEqual(
      [files.corrupt, files.empty, files.unknown].map((p) => expect.stringMatching(`^memlens: ${p}: `)),
    );
    const j = await cli('batch', dir, '--json', '--out', join(s.dir, 'r-json'));
    expect(JSON.parse(j.stdout)).toMatchObject({ schema: 'memlens/batch@1', totals: { inputs: 7 } });
  });

  it('rejects what a batch cannot do, in one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['batch', dir, '--jobs', '0'], /--jobs must be a whole number of at least 1, got "0"/],
      [['batch', '-'], /batch mode reads files and folders, not stdin/],
      [['analyze', HEALTHY, '--jobs', '2'], /--jobs and --force apply to batch runs: add --each/],
      [['batch', dir, '--format', 'pdf'], /--format "pdf" is not one of/],
      [['batch', join(s.dir, 'nowhere')], /nowhere: no such file or directory/],
      [
        ['batch', HEALTHY, '--out', join(files.unknown, 'sub')],
        /--out .*notes\.txt\/sub: cannot create the folder \(ENOTDIR\)/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(...(args.includes('--out') ? args : [...args, '--out', join(s.dir, 'r-bad')]));
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('puts scrape snapshots of one node into one report, likewise prom2csv instants; a range export keeps its own', async () => {
    const exports = join(s.dir, 'exports');
    mkdirSync(exports);
    for (const n of SNAPSHOTS_AND_A_RANGE) copyFileSync(fixture(`exports/${n}`), join(exports, n));
    const out = join(s.dir, 'r-snapshots');
    const r = await cli('batch', exports, '-q', '--out', out);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(json.totals).toMatchObject({ inputs: 6, reports: 3, groups: 2, failed: 0 });
    const rows = Object.fromEntries(
      json.rows.map((row: { name: string; inputs: { path: string }[] }) => [
        row.name,
        row.inputs.map((f) => f.path.slice(exports.length + 1)),
      ]),
    );
    expect(rows).toEqual({
      'scrape-1700000150': SNAPSHOTS_AND_A_RANGE.slice(0, 3),
      'prom2csv-1700000150': SNAPSHOTS_AND_A_RANGE.slice(3, 5),
      'prometheus-query-range': [SNAPSHOTS_AND_A_RANGE[5]],
    });
    type Finding = { code: string; severity: string; container: string };
    const findings = (name: string): Finding[] =>
      JSON.parse(readFileSync(join(out, name, 'findings.json'), 'utf8')).findings;
    // Alone, no scrape shows both: the series shows the api at its limit, then a new container ID.
    const api = 'shop/checkout-7d9c/api';
    expect(findings('scrape-1700000150')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'working-set-near-limit/at-limit', container: api }),
        expect.objectContaining({ code: 'oom-kill/killed', severity: 'warning', container: api }),
      ]),
    );
    expect(findings('prom2csv-1700000150')).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'oom-kill/killed', container: api })]),
    );
    // No report per snapshot is left behind.
    expect(readdirSync(out).sort()).toEqual([
      'index.html',
      'prom2csv-1700000150',
      'prometheus-query-range',
      'scrape-1700000150',
      'summary.csv',
      'summary.json',
    ]);
    // A re-run finds the groups up to date.
    const again = await cli('batch', exports, '--out', out);
    expect(again.stdout).toMatch(
      /6 inputs → 3 reports \(2 groups of inputs that belong together\), 0 failed, 3 up to date/,
    );
  });

  it('names its default output folder after the inputs, without a time, so re-runs find it', () => {
    expect(defaultBatchOut(['incidents/'])).toBe(join('reports', 'incidents'));
    expect(defaultBatchOut(['exports/week 48/*.csv'])).toBe(join('reports', 'week_48'));
    expect(defaultBatchOut(['node-a.tar.gz', 'node-b.tar.gz'])).toBe(join('reports', 'node-a'));
  });
});

describe('Ctrl-C', () => {
  it('stops a running batch with exit 130, keeping finished reports and a consistent index', async () => {
    const many = join(s.dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 30; i++)
      copyFileSync(HEALTHY, join(many, `node-${String(i).padStart(2, '0')}.tar.gz`));
    writeFileSync(join(many, 'notes.txt'), 'not a capture\n');
    const out = join(s.dir, 'r-sigint');
    const main = new URL('../../dist/cli/main.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [main, 'batch', many, '--jobs', '1', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        // Two inputs done: interrupt while the rest wait.
        if (/\[2\/31\]/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(stderr).toContain('memlens: interrupted; keeping the finished reports');
    expect(stdout).toMatch(/not analysed \(interrupted; run again to finish\)/);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(json.totals.inputs).toBe(31);
    const done = json.rows.filter((r: { status: string }) => r.status === 'ok');
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(json.totals.interrupted).toBe(31 - done.length - json.totals.failed);
    for (const r of done) expect(existsSync(join(out, r.report))).toBe(true);
    expect(existsSync(join(out, '.memlens-batch.lock'))).toBe(false);
  });
});
