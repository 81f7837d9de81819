import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { fixture, fixturePath, scratch } from '../helpers/fixtures.js';

const FIXTURE = fixture('v1-oom-killed-and-cache-inflated.tar.gz');
const s = scratch();
afterAll(() => s.done());

describe('memlens analyze', () => {
  it('writes findings.json per the contract, summary.md and containers.csv, and prints a summary table', async () => {
    const out = join(s.dir, 'r1');
    const r = await cli('analyze', FIXTURE, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /container\s+limit\s+peak usage\s+peak working set\s+cache share\s+OOM kills\s+verdict/,
    );
    expect(r.stdout).toMatch(/shop\/checkout-7d9f\/api\s+48 MiB .* 2\s+critical: OOM-killed/);
    const json = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(json.schema).toBe('memlens/findings@1');
    expect(Object.keys(json)).toEqual([
      'schema',
      'generatedAt',
      'window',
      'inputs',
      'containers',
      'findings',
      'passes',
    ]);
    expect(json.inputs[0]).toMatchObject({
      path: FIXTURE,
      format: 'cgroup-capture',
      containers: 3,
      warnings: [],
    });
    const api = json.containers.find((c: { key: string }) => c.key === 'shop/checkout-7d9f/api');
    expect(api).toMatchObject({
      namespace: 'shop',
      pod: 'checkout-7d9f',
      container: 'api',
      qos: 'burstable',
      limitBytes: 48 * 1024 * 1024,
      oomKills: 2,
      severity: 'critical',
    });
    expect(Object.keys(api.peak)).toEqual([
      'usageBytes',
      'workingSetBytes',
      'rssBytes',
      'cacheBytes',
      'activeFileBytes',
      'inactiveFileBytes',
      'shmemBytes',
    ]);
    expect(json.findings[0]).toMatchObject({
      pass: 'oom-kill',
      severity: 'critical',
      container: 'shop/checkout-7d9f/api',
    });
    expect(json.findings[0].from).toMatch(/^2026-11-27T19:16:5\d\.000Z$/);
    expect(json.passes.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['oom-kill', 'cache-inflated-usage']),
    );
    // Sandboxes and pod cgroups are context, never containers with verdicts.
    expect(json.containers).toHaveLength(3);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(
      '| critical | shop/checkout-7d9f/api | OOM-killed: anon memory |',
    );
    const csv = readFileSync(join(out, 'containers.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0].split(',')).toContain('oom_kills');
  });

  it('exits 1 when findings reach --fail-on, 0 when they do not', async () => {
    expect((await cli('analyze', FIXTURE, '-q', '-o', join(s.dir, 'r2'), '--fail-on', 'critical')).code).toBe(
      1,
    );
    expect(
      (
        await cli(
          'analyze',
          FIXTURE,
          '-q',
          '-o',
          join(s.dir, 'r2'),
          '--fail-on',
          'info',
          '--match',
          '{container="server"}',
        )
      ).code,
    ).toBe(0);
  });

  it('prints findings.json with --json, filtered by --match and --since', async () => {
    const r = await cli(
      'analyze',
      FIXTURE,
      '--json',
      '-o',
      join(s.dir, 'r3'),
      '--match',
      '{namespace=~"shop|batch"}',
      '--since',
      '2026-11-27T19:16:58Z',
    );
    const json = JSON.parse(r.stdout);
    expect(json.containers.map((c: { key: string }) => c.key).sort()).toEqual([
      'batch/report-writer-5c8b/reader',
      'shop/checkout-7d9f/api',
    ]);
    expect(json.window.start).toBe('2026-11-27T19:16:58.000Z');
    // The first kill happened before --since: only the second one is in the window.
    expect(json.findings.filter((f: { pass: string }) => f.pass === 'oom-kill')).toHaveLength(2);
    expect(json.findings.map((f: { code: string }) => f.code)).toContain('oom-kill/before-window');
  });

  it('takes thresholds from --set and --config, and rejects unknown ones', async () => {
    const cfg = join(s.dir, 'memlens.config.json');
    writeFileSync(cfg, JSON.stringify({ passes: { 'cache-inflated-usage': { minBytes: 1e12 } } }));
    const viaConfig = JSON.parse(
      (await cli('analyze', FIXTURE, '--json', '-o', join(s.dir, 'r4'), '--config', cfg)).stdout,
    );
    expect(viaConfig.findings.some((f: { pass: string }) => f.pass === 'cache-inflated-usage')).toBe(false);
    const bad = await cli(
      'analyze',
      FIXTURE,
      '-o',
      join(s.dir, 'r4'),
      '--set',
      'cache-inflated-usage.nope=1',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'memlens: pass "cache-inflated-usage" has no option "nope"; its options are: minShare, minBytes, alertShare',
    );
  });

  it("takes the recommended limit's headroom from --set, as memlens explain names it", async () => {
    const recommended = async (...set: string[]) => {
      const r = await cli('analyze', FIXTURE, '--json', '-o', join(s.dir, 'r7'), ...set);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      return new Map<string, number>(
        json.containers.map((c: { key: string; recommendedLimitBytes: number }) => [
          c.key,
          c.recommendedLimitBytes,
        ]),
      );
    };
    const base = await recommended();
    const doubled = await recommended(
      '--set',
      'recommended-limit.nonReclaimableHeadroom=1',
      '--set',
      'recommended-limit.workingSetHeadroom=1',
    );
    // The leak's limit comes from its peak anon + headroom: twice the peak instead of 1.3×.
    const api = 'shop/checkout-7d9f/api';
    expect(doubled.get(api)!).toBeGreaterThan(base.get(api)!);
    expect((await cli('explain', 'recommended-limit')).stdout).toContain(
      'recommended-limit.workingSetHeadroom = 0.15',
    );
    const bad = await cli('analyze', FIXTURE, '--set', 'recommended-limit.margin=1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'memlens: "recommended-limit" has no option "margin"; its options are: nonReclaimableHeadroom, workingSetHeadroom, oomBumpRatio, keepWithin, minWindowHoursToLower',
    );
  });

  it('counts in words that agree with the number (1 container, 0 findings)', async () => {
    const r = await cli('analyze', fixturePath('healthy'), '-o', join(s.dir, 'r8'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n1 container, 0 findings (0 critical, 0 warning, 0 info).');
  });

  it('names the file and what to do for bad input, in one line, exit 2', async () => {
    const junk = join(s.dir, 'junk.txt');
    writeFileSync(junk, 'hello\n');
    const r = await cli('analyze', junk, '-o', join(s.dir, 'r5'));
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^memlens: .*junk\.txt: is in no format memlens knows/);
    expect((await cli('analyze', join(s.dir, 'missing.tgz'))).stderr).toMatch(
      /missing\.tgz: no such file or directory/,
    );
    expect((await cli('analyze', FIXTURE, '--since', 'yesterday')).code).toBe(2);
  });

  it('says in one line that --out cannot be written, and the process ends (chart threads were warm)', () => {
    const file = join(s.dir, 'a-file');
    writeFileSync(file, '');
    const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
    const r = spawnSync(process.execPath, [main, 'analyze', FIXTURE, '--out', join(file, 'report')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `memlens: --out ${join(file, 'report')}: cannot write there (a part of the path is a file, not a folder); choose a folder you can write to`,
    ]);
  }, 70_000);

  it('analyses the good inputs and reports the bad one when given several', async () => {
    const junk = join(s.dir, 'junk2.txt');
    writeFileSync(junk, 'hello\n');
    const out = join(s.dir, 'r6');
    const r = await cli('analyze', FIXTURE, junk, '-q', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/junk2\.txt: is in no format/);
    const json = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(json.inputs.map((i: { error?: string }) => Boolean(i.error))).toEqual([false, true]);
  });
});

describe('memlens inspect and explain', () => {
  it('inspect says what a capture holds without analysing it', async () => {
    const r = await cli('inspect', FIXTURE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/format: cgroup-capture/);
    expect(r.stdout).toMatch(/drivers: cgroupfs/);
    expect(r.stdout).toMatch(/snapshots: 18/);
    expect(r.stdout).toMatch(/roles: \{"node":1,"qos":2,"pod":3,"sandbox":3,"container":3\}/);
  });

  it('explain prints a pass and a metric from their declarations', async () => {
    expect((await cli('explain', 'cache-inflated-usage')).stdout).toMatch(
      /cache-inflated-usage.minShare = 0\.25/,
    );
    expect((await cli('explain', 'container_memory_working_set_bytes')).stdout).toMatch(
      /total_inactive_file/,
    );
    expect((await cli('explain', 'nope')).code).toBe(2);
  });
});

describe('the built binary', () => {
  const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;
  it.skipIf(!existsSync(bin))('sets exit codes and never prints a stack trace for bad input', () => {
    const ok = spawnSync(process.execPath, [
      bin,
      'analyze',
      FIXTURE,
      '-q',
      '-o',
      join(s.dir, 'b1'),
      '--fail-on',
      'critical',
    ]);
    expect(ok.status).toBe(1);
    const missing = spawnSync(process.execPath, [bin, 'analyze', join(s.dir, 'nope.tgz')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).not.toMatch(/\bat .*\.js:\d+/);
    const usage = spawnSync(process.execPath, [bin, 'analyze', '--bogus'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(spawnSync(process.execPath, [bin, '--help']).status).toBe(0);
  });

  it.skipIf(!existsSync(bin))('stops quietly when the reader closes the pipe (… --json | head)', async () => {
    const child = spawn(process.execPath, [bin, 'analyze', FIXTURE, '--json', '-o', join(s.dir, 'b2')]);
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});
