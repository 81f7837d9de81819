import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { V1_CAPTURE } from '../helpers/capture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memlens-cli-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'memlens', ...args], {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

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
    expect(r.out).toContain('report.html');
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
    expect(r.out).toContain(`4 PNG charts (in ${png})`);
  });

  it('refuses an unknown --tz and an unknown format with one line and exit code 2', async () => {
    const bad = await cli('analyze', V1_CAPTURE, '--out', join(dir, 'bad'), '--tz', 'Mars/Olympus');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'memlens: --tz "Mars/Olympus" is not a time zone; use an IANA name like Europe/Berlin, UTC, or an offset like +02:00',
    );
    expect(existsSync(join(dir, 'bad'))).toBe(false);
    const fmt = await cli('analyze', V1_CAPTURE, '--out', join(dir, 'bad'), '--format', 'pdf');
    expect(fmt.code).toBe(2);
    expect(fmt.err).toContain('--format "pdf" is not one of json, md, csv, html');
  });
});
