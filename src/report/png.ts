import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult } from '../result.js';
import { renderCharts } from './charts/index.js';

export interface PngOptions {
  /** Pixels per SVG pixel: 2 keeps text sharp when a ticket viewer scales the image. */
  zoom?: number;
}

/**
 * `--png DIR`: the report's charts as PNG files, for ticket systems that show images but not
 * HTML. The same SVGs as the page, rasterised by resvg (a Rust renderer shipped as a prebuilt
 * binary inside its npm package), on white: a PNG has no dark mode.
 */
export async function writePngs(r: AnalysisResult, dir: string, opts: PngOptions = {}): Promise<string[]> {
  const { Resvg } = await import('@resvg/resvg-js');
  const charts = await renderCharts(r);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const c of charts) {
    if (c.svg === null) continue;
    const png = new Resvg(c.svg, {
      background: '#ffffff',
      fitTo: { mode: 'zoom', value: opts.zoom ?? 2 },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      logLevel: 'off',
    })
      .render()
      .asPng();
    const path = join(dir, `${c.file}.png`);
    await writeFile(path, png);
    written.push(path);
  }
  return written;
}
