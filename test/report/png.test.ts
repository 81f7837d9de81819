import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCharts } from '../../src/report/charts/index.js';
import { writePngs } from '../../src/report/png.js';
import { analyzeCapture } from '../helpers/capture.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('--png', () => {
  it('writes every chart of the report as a PNG at twice the SVG size', async () => {
    const r = await analyzeCapture();
    const dir = await mkdtemp(join(tmpdir(), 'memlens-png-'));
    dirs.push(dir);
    const written = await writePngs(r, join(dir, 'png'));
    const charts = await renderCharts(r);
    expect(written.map((p) => basename(p))).toEqual(charts.map((c) => `${c.file}.png`));
    expect(written.map((p) => basename(p))).toContain('fleet-overview.png');
    for (const [i, path] of written.entries()) {
      const png = await readFile(path);
      const svgWidth = Number(/width="(\d+)"/.exec(charts[i].svg!)![1]);
      const svgHeight = Number(/height="(\d+)"/.exec(charts[i].svg!)![1]);
      expect(pngSize(png)).toEqual({ width: svgWidth * 2, height: svgHeight * 2 });
      // A chart, not a blank image: compressed size well above an empty canvas of that size.
      expect(png.length).toBeGreaterThan(20_000);
    }
  });
});
