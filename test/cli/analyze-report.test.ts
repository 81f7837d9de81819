import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1_CAPTURE } from '../helpers/capture.js';
import { cli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memlens-cli-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memlens analyze: the report', () => {
  it('writes report.html with the other outputs by default', async () => {
    const out = join(dir, 'default');
    const r = await cli('analyze', V1_CAPTURE, '--out', out);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'containers.csv',
      'findings.json',
      'report.html',
      'summary.md',
    ]);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('1 container OOM-killed twice (mostly anon)');
    expect(html).not.toContain('<script');
    expect(r.stdout).toContain('report.html');
  });

  it('--interactive inlines the vega runtime; --png writes the charts; --tz shows local times', async () => {
    const out = join(dir, 'interactive');
    const png = join(dir, 'interactive-png');
    const r = await cli(
      'analyze',
      V1_CAPTURE,
      '--out',
      out,
      '--format',
      'html',
      '--interactive',
      '--png',
      png,
      '--tz',
      'America/New_York',
    );
    expect(r.code).toBe(0);
    expect(await readdir(out)).toEqual(['report.html']);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-interactive="pending"');
    expect(html).toMatch(/vegaEmbed/);
    expect(html).toContain('2026-11-27 14:16:50 America/New_York');
    const pngs = await readdir(png);
    expect(pngs).toHaveLength(4);
    expect(pngs).toContain('fleet-overview.png');
    expect(r.stdout).toContain(`4 PNG charts (in ${png})`);
  });

  it('refuses an unknown --tz and an unknown format with one line and exit code 2', async () => {
    const bad = await cli('analyze', V1_CAPTURE, '--out', join(dir, 'bad'), '--tz', 'Mars/Olympus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'memlens: --tz "Mars/Olympus" is not a time zone; use an IANA name like Europe/Berlin, UTC, or an offset like +02:00',
    );
    expect(existsSync(join(dir, 'bad'))).toBe(false);
    const fmt = await cli('analyze', V1_CAPTURE, '--out', join(dir, 'bad'), '--format', 'pdf');
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('--format "pdf" is not one of json, md, csv, html');
  });
});
