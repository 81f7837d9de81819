/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { layoutOf } from '../../src/report/charts/index.js';
import { RENDERERS } from '../../src/report/index.js';
import type { AnalysisResult } from '../../src/result.js';
import { analyzeCapture } from '../helpers/capture.js';
import { incidentExport } from '../helpers/prom-export.js';

/**
 * The report as a reader meets it: Debian's Chromium opens report.html from disk with the network
 * off, and every chart must be there as SVG with marks, with no request and no console error;
 * the interactive variant must turn its charts live (tooltips, zoom). Screenshots go to
 * test-output/browser/ for a human to look at.
 */
const CHROMIUM = '/usr/bin/chromium';
const OUT = join(process.cwd(), 'test-output', 'browser');
const HOSTILE = '<img src=x onerror=alert(1)>';

// .ci/run installs Chromium, so CI always runs this; elsewhere it is skipped when Chromium is missing.
const run = existsSync(CHROMIUM) || Boolean(process.env.CI);

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

describe.skipIf(!run)('report.html in headless Chromium', () => {
  let ctx: BrowserContext;
  let profile: string;
  const reports: Record<string, { file: string; result: AnalysisResult }> = {};
  const opened: Opened[] = [];

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
    const capture = await analyzeCapture();
    const prom = analyzeDatasets([incidentExport()]);
    for (const [name, result] of [
      ['capture', capture],
      ['prometheus', prom],
    ] as const) {
      for (const interactive of [false, true]) {
        const file = join(OUT, `${name}${interactive ? '-interactive' : ''}.html`);
        await writeFile(file, await RENDERERS.html.render(result, { interactive, tz: 'Europe/Berlin' }));
        reports[`${name}${interactive ? '-interactive' : ''}`] = { file, result };
      }
    }
    profile = await mkdtemp(join(tmpdir(), 'memlens-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // Anything that is not the report file itself is refused (and recorded by the page hooks).
    await ctx.route('**/*', (route) =>
      route.request().url().startsWith('file://') ? route.continue() : route.abort('blockedbyclient'),
    );
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function open(name: string, opts: { dark?: boolean; noScript?: boolean } = {}): Promise<Opened> {
    const page = await ctx.newPage();
    const o: Opened = { page, requests: [], errors: [] };
    opened.push(o);
    page.on('request', (r) => o.requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') o.errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => o.errors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      o.errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.emulateMedia({ colorScheme: opts.dark ? 'dark' : 'light' });
    if (opts.noScript) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    }
    await page.goto(pathToFileURL(reports[name].file).href, { waitUntil: 'load' });
    return o;
  }

  /** Per figure: its id, kind, and how many drawn marks of each role its SVG holds. */
  function figures(page: Page) {
    return page.$$eval('figure.chart', (els) =>
      els.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const count = (sel: string) =>
          [...f.querySelectorAll(sel)].filter((e) => {
            const b = (e as SVGGraphicsElement).getBBox?.();
            return b && (b.width > 0 || b.height > 0);
          }).length;
        return {
          id: f.id,
          kind: f.getAttribute('data-kind'),
          live: f.getAttribute('data-live'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          points: count('.points_marks path'),
          areas: count('[class*=" parts_"] path'),
          lines: count('[class*=" lines_"] path'),
          kills: count('.oom_kills_marks line'),
        };
      }),
    );
  }

  function expectAllCharts(figs: Awaited<ReturnType<typeof figures>>, r: AnalysisResult) {
    const layout = layoutOf(r);
    expect(figs.map((f) => f.id)).toEqual([
      'chart-fleet',
      ...layout.detailed.map((c) => `chart-c-${c.entity.index}`),
    ]);
    for (const f of figs) {
      expect(f.width).toBeGreaterThan(300);
      expect(f.height).toBeGreaterThan(150);
      if (f.kind === 'fleet-overview')
        expect(f.points).toBe(r.containers.filter((c) => c.limitBytes !== null).length);
      else {
        expect(f.areas).toBeGreaterThan(0);
        expect(f.lines).toBeGreaterThan(0);
      }
    }
  }

  it('renders every chart of the real capture as SVG with marks, offline, without errors', async () => {
    const { page, requests, errors } = await open('capture');
    const figs = await figures(page);
    expectAllCharts(figs, reports.capture.result);
    // The OOM-killed container's chart has its two kill rules.
    expect(figs.map((f) => f.kills)).toContain(2);
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: join(OUT, 'capture-light.png'), fullPage: true });
    expect(requests).toEqual([pathToFileURL(reports.capture.file).href]);
    expect(errors).toEqual([]);
  });

  it('reads in dark mode: chart text takes the page colour', async () => {
    const { page, errors } = await open('capture', { dark: true });
    const colours = await page.evaluate(() => {
      const label = document.querySelector('#chart-fleet .role-axis-label text')!;
      return { text: getComputedStyle(label).fill, body: getComputedStyle(document.body).color };
    });
    expect(colours.text).toBe(colours.body);
    expect(colours.body).not.toBe('rgb(0, 0, 0)');
    await page.screenshot({ path: join(OUT, 'capture-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows hostile labels of a Prometheus export as text, runs nothing, and draws estimated parts', async () => {
    const { page, requests, errors } = await open('prometheus');
    expectAllCharts(await figures(page), reports.prometheus.result);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.getByText(HOSTILE).count()).toBeGreaterThan(0);
    expect(
      await page.locator('figcaption', { hasText: 'inactive file (estimated)' }).count(),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: join(OUT, 'prometheus-light.png'), fullPage: true });
    expect(requests).toEqual([pathToFileURL(reports.prometheus.file).href]);
    expect(errors).toEqual([]);
  });

  for (const name of ['capture-interactive', 'prometheus-interactive']) {
    it(`${name}: every chart goes live, with tooltips and zoom, offline, without errors`, async () => {
      const { page, requests, errors } = await open(name);
      await page.waitForFunction(
        () =>
          document.documentElement.dataset.interactive === 'ready' &&
          [...document.querySelectorAll('figure.chart')].every((f) => f.getAttribute('data-live')),
        undefined,
        { timeout: 20_000 },
      );
      const figs = await figures(page);
      expect(figs.every((f) => f.live === 'true')).toBe(true);
      expect(await page.locator('figure.chart .static').count()).toBe(0);
      expectAllCharts(figs, reports[name].result);

      // Tooltip: hover the middle of the first composition chart's plot.
      const figure = page.locator('figure[data-kind="composition"]').first();
      const plot = figure.locator('[class*=" parts_"]').first();
      await plot.scrollIntoViewIfNeeded();
      const box = (await plot.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tooltip = page.locator('#vg-tooltip-element');
      await expect.poll(() => tooltip.isVisible(), { timeout: 5_000 }).toBe(true);
      expect(await tooltip.textContent()).toMatch(/usage \((MiB|GiB|KiB)\)/);

      // Zoom: the wheel rescales the time axis.
      const axis = async () => (await figure.locator('.role-axis-label text').allTextContents()).join(' ');
      const before = await axis();
      await page.mouse.wheel(0, -400);
      await expect.poll(axis, { timeout: 5_000 }).not.toBe(before);

      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
      expect(requests).toEqual([pathToFileURL(reports[name].file).href]);
      expect(errors).toEqual([]);
    });
  }

  it('keeps every chart of the interactive page with JavaScript disabled', async () => {
    const { page, errors } = await open('capture-interactive', { noScript: true });
    const figs = await figures(page);
    expect(figs.every((f) => f.live === null)).toBe(true);
    expectAllCharts(figs, reports['capture-interactive'].result);
    expect(errors).toEqual([]);
  });
});
