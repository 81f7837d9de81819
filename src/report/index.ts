import type { AnalysisResult } from '../result.js';
import { toFindingsJson } from '../result.js';
import { containersCsv } from './csv.js';
import { summaryMarkdown } from './markdown.js';

/** What the user asked for that changes how a result is shown (never what it says). */
export interface RenderOptions {
  /** IANA zone shown next to UTC (--tz). */
  tz?: string;
  /** report.html: inline the vega runtime for tooltips and zoom (--interactive). */
  interactive?: boolean;
}

/** Output formats by name: the file each writes and how it renders. Renderers compute nothing. */
export interface Renderer {
  file: string;
  render(r: AnalysisResult, opts?: RenderOptions): string | Promise<string>;
  /** Starts work ahead of render, off the main thread, while the analysis runs (report.html: chart threads). */
  prepare?(): Promise<void>;
  /** Stops what prepare started and render did not use (the analysis failed before rendering). */
  release?(): Promise<void>;
  /**
   * Starts the slow part of render as soon as the result is there (report.html: its charts,
   * drawn on the chart threads), so it runs while the other formats are written. render uses it.
   */
  start?(r: AnalysisResult): Promise<void>;
}

export const RENDERERS: Record<string, Renderer> = {
  json: { file: 'findings.json', render: (r) => `${JSON.stringify(toFindingsJson(r), null, 2)}\n` },
  md: { file: 'summary.md', render: (r, o) => summaryMarkdown(r, o) },
  csv: { file: 'containers.csv', render: containersCsv },
  // Loaded on use: the page pulls in vega, which commands that write no HTML should not pay for.
  html: {
    file: 'report.html',
    render: async (r, o) => (await import('./html/page.js')).renderHtml(r, o),
    prepare: async () => (await import('./charts/pool.js')).warmChartThreads(),
    release: async () => (await import('./charts/pool.js')).closeWarmChartThreads(),
    start: async (r) => {
      // Errors are render's to report; this only gets the drawing going.
      (await import('./charts/index.js')).renderCharts(r).catch(() => undefined);
    },
  },
};
