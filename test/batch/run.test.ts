import { existsSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { runBatch } from '../../src/batch/run.js';
import type { BatchEvent, BatchRow } from '../../src/batch/types.js';
import { resolveInputs } from '../../src/import/open.js';
import { scratch } from '../helpers/fixtures.js';
import { mixedBatch, OOM, options, splitSeries, stableSummary } from './helpers.js';

const s = scratch('memlens-batch-');
// Tests that cut the 18-snapshot fixture into files and analyse them twice: slow on a busy box.
const SERIES_TIMEOUT = 120_000;
afterAll(() => s.done());

const inputsDir = join(s.dir, 'incidents');
let files: Record<string, string>;
let paths: string[];
beforeAll(async () => {
  files = mixedBatch(inputsDir);
  paths = (await resolveInputs([inputsDir])).map((r) => r.path);
});

function rowOf(rows: BatchRow[], path: string): BatchRow {
  const r = rows.find((x) => x.inputs.some((f) => f.path === path));
  if (!r) throw new Error(`no row for ${path}`);
  return r;
}

describe('runBatch on a folder of real captures and broken files', () => {
  it('writes a report per good input and accounts for every input in the index and summaries', async () => {
    const out = join(s.dir, 'out-mixed');
    const summary = await runBatch(paths, options(out));
    expect(summary.inputs).toBe(7);
    expect(summary.rows).toHaveLength(7);
    expect(summary.aborted).toBe(false);

    const oom = rowOf(summary.rows, files.oom);
    expect(oom).toMatchObject({ status: 'ok', name: 'checkout-oom', error: null });
    expect(oom.stats).toMatchObject({
      containers: 3,
      critical: 1,
      flagged: 1,
      oomKills: 2,
      worstSeverity: 'critical',
      verdict:
        '1 container OOM-killed twice (mostly anon); 1 container only looks full: file cache inflates usage; 1 container ok.',
    });
    expect(rowOf(summary.rows, files.healthy).stats).toMatchObject({
      containers: 1,
      flagged: 0,
      oomKills: 0,
      worstSeverity: 'ok',
      verdict: null,
    });
    expect(rowOf(summary.rows, files.cache).stats?.worstSeverity).toBe('info');
    // A truncated copy still yields what it holds, with a warning saying so.
    const truncated = rowOf(summary.rows, files.truncated);
    expect(truncated.status).toBe('ok');
    expect(truncated.stats!.warnings.join('\n')).toMatch(
      /truncated-copy\.tar\.gz: .*kept the \d+ cgroup files/,
    );

    // The bad inputs: failed, each with its own one-line reason, and no report folder.
    const reasons = Object.fromEntries(
      (['corrupt', 'unknown', 'empty'] as const).map((k) => {
        const r = rowOf(summary.rows, files[k]);
        expect(r.status).toBe('failed');
        expect(r.stats).toBeNull();
        expect(r.error).not.toMatch(/\n/);
        expect(existsSync(join(out, r.name))).toBe(false);
        return [k, r.error];
      }),
    );
    expect(reasons.unknown).toMatch(/^is in no format memlens knows/);
    expect(reasons.empty).toMatch(/^all \d+ cgroup files are empty\. This is what "tar" of a live/);
    expect(reasons.corrupt).toBeTruthy();
    expect(summary.failed).toBe(3);
    expect(summary.reports).toBe(4);

    // Every report folder holds every requested file, and only report folders sit next to the index.
    for (const r of summary.rows.filter((x) => x.status === 'ok')) {
      expect(readdirSync(join(out, r.name)).sort()).toEqual([
        'containers.csv',
        'findings.json',
        'summary.md',
      ]);
    }
    expect(readdirSync(out).sort()).toEqual(
      [
        'checkout-oom',
        'config-server',
        'index.html',
        'report-writer',
        'summary.csv',
        'summary.json',
        'truncated-copy',
      ].sort(),
    );

    // summary.json, summary.csv and index.html carry the same rows, in the same order.
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(json.schema).toBe('memlens/batch@1');
    expect(json.totals).toEqual({ inputs: 7, reports: 4, groups: 0, failed: 3, interrupted: 0, reused: 0 });
    const order = json.rows.map((r: { name: string }) => r.name);
    expect(order.slice(0, 2).sort()).toEqual(['checkout-oom', 'truncated-copy']); // both critical
    expect(json.rows.map((r: { severity: string }) => r.severity)).toEqual([
      'critical',
      'critical',
      'failed',
      'failed',
      'failed',
      'info',
      'ok',
    ]);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(8);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(order);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]);
    expect(linked).toEqual(
      json.rows.filter((r: { report: string | null }) => r.report).map((r: { report: string }) => r.report),
    );
    for (const l of linked) expect(existsSync(join(out, decodeURIComponent(l)))).toBe(true);
    for (const r of json.rows) expect(html).toContain(`>${r.name}<`);
  });

  it('gives identical summaries run serially (--jobs 1) and in parallel (--jobs 2)', async () => {
    const serial = join(s.dir, 'out-serial');
    const parallel = join(s.dir, 'out-parallel');
    await runBatch(paths, options(serial, { jobs: 1 }));
    await runBatch(paths, options(parallel, { jobs: 2 }));
    expect(stableSummary(parallel)).toEqual(stableSummary(serial));
    expect(readFileSync(join(parallel, 'summary.csv'), 'utf8')).toBe(
      readFileSync(join(serial, 'summary.csv'), 'utf8'),
    );
    // The reports themselves agree too, apart from their time of writing.
    const findings = (dir: string) => {
      const j = JSON.parse(readFileSync(join(dir, 'checkout-oom', 'findings.json'), 'utf8'));
      delete j.generatedAt;
      return j;
    };
    expect(findings(parallel)).toEqual(findings(serial));
  });
});

describe('grouping', () => {
  it(
    'puts a capture series split over single-snapshot files back into one report',
    async () => {
      const dir = join(s.dir, 'series-meta');
      const parts = splitSeries(join(dir, 'node-a'), { meta: true });
      expect(parts).toHaveLength(18);
      const out = join(s.dir, 'out-series-meta');
      const summary = await runBatch(
        (await resolveInputs([dir])).map((r) => r.path),
        options(out),
      );
      expect(summary.rows).toHaveLength(1);
      const [row] = summary.rows;
      expect(row.name).toBe('memory-1795807010');
      expect(row.inputs.map((f) => f.path)).toEqual(parts);
      expect(summary.groups).toBe(1);
      // The regrouped series says what the original 18-snapshot capture says.
      const whole = await analyze([{ path: OOM }]);
      const report = JSON.parse(readFileSync(join(out, row.name, 'findings.json'), 'utf8'));
      expect(report.window).toEqual({ start: '2026-11-27T19:16:50.000Z', end: '2026-11-27T19:17:07.000Z' });
      expect(
        report.containers.map((c: { key: string; oomKills: number; severity: string }) => [
          c.key,
          c.oomKills,
          c.severity,
        ]),
      ).toEqual(whole.containers.map((c) => [c.entity.key, c.oomKills, c.severity]));
      expect(row.stats).toMatchObject({ oomKills: 2, worstSeverity: 'critical', containers: 3 });
    },
    SERIES_TIMEOUT,
  );

  it(
    'groups unnamed single snapshots by their memory-<unixseconds> names, per folder',
    async () => {
      const dir = join(s.dir, 'series-bare');
      const a = splitSeries(join(dir, 'node-a'), { meta: false });
      const b = splitSeries(join(dir, 'node-b'), { meta: false }).slice(0, 4);
      const out = join(s.dir, 'out-series-bare');
      const summary = await runBatch([...a, ...b], options(out));
      expect(summary.rows.map((r) => [r.name, r.inputs.length]).sort()).toEqual([
        ['node-a_memory-1795807010', 18],
        ['node-b_memory-1795807010', 4],
      ]);
      // Without metadata the containers keep their cgroup paths; the kills are still there.
      expect(summary.rows.find((r) => r.inputs.length === 18)!.stats!.oomKills).toBe(2);
    },
    SERIES_TIMEOUT,
  );

  it('imports a lone snapshot once, unless its name marks it as part of a series', async () => {
    const dir = join(s.dir, 'lone');
    const [first, second] = splitSeries(dir, { meta: true });
    const plain = join(dir, 'node-x-capture.tar.gz');
    renameSync(first, plain);
    const starts = async (path: string) => {
      const started: string[] = [];
      const summary = await runBatch(
        [path],
        options(join(s.dir, `out-lone-${basename(path)}`), {
          onEvent: (e) => e.type === 'task-start' && started.push(e.label),
        }),
      );
      expect(summary.rows[0].status).toBe('ok');
      return started;
    };
    expect(await starts(plain)).toEqual([plain]);
    // Surveyed without a report (it may have had siblings), then reported on its own.
    expect(await starts(second)).toEqual([second, second]);
  });

  it('keeps multi-snapshot captures of one node apart: they are separate incidents', async () => {
    const summary = await runBatch(
      [files.oom, files.healthy, files.cache],
      options(join(s.dir, 'out-apart')),
    );
    expect(summary.rows).toHaveLength(3);
    expect(summary.groups).toBe(0);
  });
});

describe('re-runs', () => {
  it('skips inputs whose report is newer, redoes a touched input, and --force redoes all', async () => {
    const out = join(s.dir, 'out-rerun');
    const few = [files.oom, files.healthy, files.unknown];
    const first = await runBatch(few, options(out));
    expect(first.reused).toBe(0);
    const started: string[] = [];
    const track = (e: BatchEvent) => e.type === 'task-start' && started.push(e.label);

    const again = await runBatch(few, options(out, { onEvent: track }));
    expect(again.reused).toBe(2);
    // The failed input is tried again (it may have been fixed); the good ones are not redone.
    expect(started).toEqual([files.unknown]);
    expect(stableRows(again.rows)).toEqual(stableRows(first.rows));
    expect(
      again.rows
        .filter((r) => r.reused)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['checkout-oom', 'config-server']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('up to date, written');

    const later = new Date(Date.now() + 5_000);
    utimesSync(files.healthy, later, later);
    started.length = 0;
    await runBatch(few, options(out, { onEvent: track }));
    expect(started.sort()).toEqual([files.healthy, files.unknown].sort());

    started.length = 0;
    const forced = await runBatch(few, options(out, { onEvent: track, force: true }));
    expect(forced.reused).toBe(0);
    expect(started.sort()).toEqual([...few].sort());
    utimesSync(files.healthy, new Date(), new Date(Date.now() - 60_000));
  });

  it('redoes every report when the analysis options change', async () => {
    const out = join(s.dir, 'out-options');
    await runBatch([files.oom], options(out));
    const changed = await runBatch(
      [files.oom],
      options(out, { analyze: { passOptions: { 'cache-inflated-usage': { minShare: 0.9 } } } }),
    );
    expect(changed.reused).toBe(0);
    const same = await runBatch(
      [files.oom],
      options(out, { analyze: { passOptions: { 'cache-inflated-usage': { minShare: 0.9 } } } }),
    );
    expect(same.reused).toBe(1);
  });

  it(
    'replaces the standalone report of an input that now belongs to a group',
    async () => {
      const dir = join(s.dir, 'series-grow');
      const parts = splitSeries(dir, { meta: true });
      const out = join(s.dir, 'out-grow');
      const one = await runBatch(parts.slice(0, 1), options(out));
      expect(one.rows.map((r) => r.name)).toEqual(['memory-1795807010']);
      const all = await runBatch(parts.slice(0, 5), options(out));
      expect(all.rows).toHaveLength(1);
      expect(all.rows[0]).toMatchObject({ name: 'memory-1795807010', reused: false });
      expect(all.rows[0].inputs).toHaveLength(5);
      // Starting the series one file earlier names the group after the new first file; the old folder goes.
      const shifted = await runBatch(parts.slice(1, 5), options(out));
      expect(shifted.rows.map((r) => r.name)).toEqual(['memory-1795807011']);
      expect(readdirSync(out).filter((n) => n.startsWith('memory-'))).toEqual(['memory-1795807011']);
    },
    SERIES_TIMEOUT,
  );
});

describe('interruption', () => {
  it('keeps finished reports, lists the rest as not analysed, and a re-run finishes the job', async () => {
    const out = join(s.dir, 'out-abort');
    const controller = new AbortController();
    let done = 0;
    const summary = await runBatch(
      paths,
      options(out, {
        jobs: 1,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'task-done' && ++done === 3) controller.abort();
        },
      }),
    );
    expect(summary.aborted).toBe(true);
    const finished = summary.rows.filter((r) => r.status === 'ok' || r.status === 'failed');
    const rest = summary.rows.filter((r) => r.status === 'interrupted');
    expect(finished).toHaveLength(3);
    expect(rest).toHaveLength(4);
    for (const r of rest) expect(r.error).toMatch(/interrupted; run the same command again/);
    // The index on disk lists exactly these rows, and every report it links to is whole.
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(json.totals).toMatchObject({ inputs: 7, interrupted: 4 });
    for (const r of json.rows.filter((x: { report: string | null }) => x.report)) {
      expect(existsSync(join(out, r.report))).toBe(true);
    }
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);

    const resumed = await runBatch(paths, options(out, { jobs: 1 }));
    expect(resumed.aborted).toBe(false);
    expect(resumed.rows.filter((r) => r.status === 'interrupted')).toHaveLength(0);
    expect(resumed.reused).toBe(finished.filter((r) => r.status === 'ok').length);
    expect(stableSummary(out)).toMatchObject({
      totals: { inputs: 7, reports: 4, failed: 3, interrupted: 0 },
    });
  });
});

describe('the output folder', () => {
  it('is never read as an input, even inside the folder of inputs', async () => {
    const dir = join(s.dir, 'inside');
    mixedBatch(dir);
    const out = join(dir, 'reports');
    await runBatch(
      (await resolveInputs([dir])).map((r) => r.path),
      options(out),
    );
    const again = await runBatch(
      (await resolveInputs([dir])).map((r) => r.path),
      options(out),
    );
    expect(again.inputs).toBe(7);
  });

  it('refuses a folder another live batch is writing, and takes over a stale lock', async () => {
    const out = join(s.dir, 'out-locked');
    await runBatch([files.healthy], options(out));
    writeFileSync(join(out, '.memlens-batch.lock'), String(process.ppid));
    await expect(runBatch([files.healthy], options(out))).rejects.toThrow(
      /being written by another memlens batch/,
    );
    // A pid that cannot be alive (above the kernel's pid_max).
    writeFileSync(join(out, '.memlens-batch.lock'), '99999999');
    const ok = await runBatch([files.healthy], options(out));
    expect(ok.reused).toBe(1);
    expect(existsSync(join(out, '.memlens-batch.lock'))).toBe(false);
  });
});

function stableRows(rows: BatchRow[]) {
  return rows.map((r) => ({ name: r.name, status: r.status, stats: r.stats, error: r.error }));
}
