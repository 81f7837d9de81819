import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import { layoutOf, planCharts, renderCharts } from '../../../src/report/charts/index.js';
import {
  ChartPool,
  chartThreads,
  MIN_CHARTS_FOR_THREADS,
  takeChartPool,
} from '../../../src/report/charts/pool.js';
import { renderSvg, uniqueIds } from '../../../src/report/charts/render.js';
import type { AnalysisResult } from '../../../src/result.js';
import { analyzeCapture } from '../../helpers/capture.js';
import { MiB, type PromContainer, promDataset } from '../../helpers/prom-export.js';

// The chart thread runs from the build, as the CLI does (npm test builds first).
const WORKER = fileURLToPath(new URL('../../../dist/report/charts/worker.js', import.meta.url));

/** A fleet where every container has a finding: one detail chart each. */
function fleet(n: number): AnalysisResult {
  const containers: PromContainer[] = Array.from({ length: n }, (_, k) => ({
    namespace: `ns-${k % 3}`,
    pod: `pod-${k}`,
    container: 'app',
    limit: (512 << (k % 3)) * MiB,
    // Cache-heavy: usage near the limit, working set far below (cache-inflated-usage).
    at: (i: number) => ({ rss: (100 + k) * MiB, cache: (300 + (i % 40)) * MiB, inactive: 290 * MiB }),
  }));
  return analyzeDatasets([promDataset(containers, { samples: 400 })]);
}

let capture: AnalysisResult;
let specs: { spec: TopLevelSpec; id: string }[];
beforeAll(async () => {
  capture = await analyzeCapture();
  specs = planCharts(capture, layoutOf(capture)).map((p) => ({ spec: p.spec, id: p.id }));
});

describe('ChartPool', () => {
  it('draws the same SVG on its threads as renderSvg does here, several charts at once', async () => {
    const pool = new ChartPool(2, WORKER).start();
    try {
      const replies = await Promise.all(specs.map((s) => pool.draw(s.spec, s.id)));
      for (const [i, r] of replies.entries()) {
        expect(r).toEqual({ seq: i, svg: uniqueIds(await renderSvg(specs[i].spec), specs[i].id) });
      }
    } finally {
      await pool.close();
    }
  });

  it('answers a chart that cannot be drawn with its error, and goes on', async () => {
    const pool = new ChartPool(1, WORKER);
    try {
      const bad = { ...specs[1].spec, transform: [{ calculate: 'datum.t +', as: 'broken' }] } as TopLevelSpec;
      const reply = await pool.draw(bad, 'bad');
      expect('error' in reply && reply.error).toMatch(/\S/);
      expect(await pool.draw(specs[1].spec, specs[1].id)).toHaveProperty('svg');
    } finally {
      await pool.close();
    }
  });

  it('gives up on threads that cannot start, so the caller draws the charts itself', async () => {
    const pool = new ChartPool(2, fileURLToPath(new URL('./no-such-worker.js', import.meta.url)));
    try {
      // Settled together: a draw must not reject before anything listens to it.
      const draws = await Promise.allSettled(specs.map((s) => pool.draw(s.spec, s.id)));
      expect(draws.map((d) => d.status)).toEqual(specs.map(() => 'rejected'));
    } finally {
      await pool.close();
    }
  });
});

describe('renderCharts on chart threads', () => {
  it('draws a big report’s charts on threads, identical to drawing them here', async () => {
    const r = fleet(MIN_CHARTS_FOR_THREADS + 4);
    const plans = planCharts(r, layoutOf(r));
    expect(plans.length).toBeGreaterThan(MIN_CHARTS_FOR_THREADS);
    const charts = await renderCharts(r);
    expect(charts.map((c) => c.id)).toEqual(plans.map((p) => p.id));
    for (const [i, c] of charts.entries()) {
      expect(c.error).toBeUndefined();
      expect(c.svg).toBe(uniqueIds(await renderSvg(plans[i].spec), plans[i].id));
    }
  }, 60_000);

  it('uses threads only where they pay: several cores, enough charts, not inside a worker', () => {
    expect(takeChartPool(MIN_CHARTS_FOR_THREADS - 1)).toBeUndefined();
    const cores = availableParallelism();
    // One core is left to the main thread's passes while the chart threads warm up.
    expect(chartThreads()).toBe(cores < 2 ? 0 : Math.min(2, cores - 1));
  });
});

describe('warmed chart threads', () => {
  it('end when no report takes them, so a failed analysis does not leave the process running', () => {
    // A process of its own: its exit is what is tested (the threads' ports kept it alive).
    const pool = fileURLToPath(new URL('../../../dist/report/charts/pool.js', import.meta.url));
    const script = `const p = await import(${JSON.stringify(pool)});
      p.warmChartThreads();
      if (p.chartThreads() === 0) console.log('no threads here');
      await p.closeWarmChartThreads();
      console.log('closed');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/closed/);
  }, 40_000);
});
