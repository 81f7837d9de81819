import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { UsageError } from '../../src/errors.js';
import { resolveOptions } from '../../src/passes/runner.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { analyzeWith, FIXTURES, fixturePath, loadFixture } from '../helpers/fixtures.js';
import type { MetricsOptions } from '../helpers/prometheus.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

/** `memlens analyze FIXTURE --json …` in-process: exit code and findings.json. */
async function analyzeCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'memlens-runner-'));
  const code = await runCli(['node', 'memlens', 'analyze', ...args, '--json', '--out', dir], {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, json: code < 2 ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
}

const nearLimit = (json: { findings: { pass: string }[] }) =>
  json.findings.filter((f) => f.pass === 'working-set-near-limit');

describe('pass thresholds from flags and config', () => {
  it('a --set threshold changes the verdict', async () => {
    const file = fixturePath('readTwice');
    const before = await analyzeCli([file]);
    expect(nearLimit(before.json)).toHaveLength(1);
    const after = await analyzeCli([file, '--set', 'working-set-near-limit.warnShare=0.95']);
    expect(nearLimit(after.json)).toHaveLength(0);
  });

  it('--config sets thresholds, and --set wins over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memlens-config-'));
    const config = join(dir, 'memlens.config.json');
    writeFileSync(config, JSON.stringify({ passes: { 'working-set-near-limit': { warnShare: 0.95 } } }));
    expect(nearLimit((await analyzeCli([fixturePath('readTwice'), '--config', config])).json)).toHaveLength(
      0,
    );
    const both = await analyzeCli([
      fixturePath('readTwice'),
      '--config',
      config,
      '--set',
      'working-set-near-limit.warnShare=0.9',
    ]);
    expect(nearLimit(both.json)).toHaveLength(1);
    expect(readFileSync(config, 'utf8')).toContain('0.95');
  });

  it('rejects an unknown option with the list of the pass’s options (exit 2)', async () => {
    const r = await analyzeCli([fixturePath('healthy'), '--set', 'anon-growth.minSlope=1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'pass "anon-growth" has no option "minSlope"; its options are: minSamples, minR2',
    );
    expect(() => resolveOptions({ 'no-limit': { x: 1 } })).toThrow(UsageError);
  });

  it('coerces flag strings to the option’s type', () => {
    const o = resolveOptions({ 'oom-kill': { reportBeforeWindow: 'false', causeLookbackSeconds: '60' } });
    expect(o['oom-kill']).toEqual({
      reportBeforeWindow: false,
      causeLookbackSeconds: 60,
      restartAtLimitShare: 0.9,
      matchToleranceSeconds: 5,
    });
    expect(() => resolveOptions({ 'oom-kill': { causeLookbackSeconds: 'soon' } })).toThrow(
      /must be a number/,
    );
  });
});

describe('pass status', () => {
  it('every pass runs on a capture, and findings.json lists each with its status', async () => {
    const { json } = await analyzeCli([fixturePath('oomAndCache')]);
    expect(json.passes.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'oom-kill:ran',
      'working-set-near-limit:ran',
      'anon-growth:ran',
      'shmem-not-reclaimable:ran',
      'usage-pinned-by-cache:ran',
      'cache-inflated-usage:ran',
      'active-file-in-working-set:ran',
      'no-limit:ran',
      'inconsistent-metrics:ran',
    ]);
  });

  it('the healthy control gets no warning and no critical', async () => {
    const { json, code } = await analyzeCli([fixturePath('healthy'), '--fail-on', 'warning']);
    expect(code).toBe(0);
    expect(json.findings.filter((f: { severity: string }) => f.severity !== 'info')).toEqual([]);
    expect(json.containers.map((c: { severity: string }) => c.severity)).toEqual(['ok']);
  });
});

const VARIANTS: [string, MetricsOptions][] = [
  ['cAdvisor basics', {}],
  ['with the file breakdown and refaults', { breakdown: true, refaults: true }],
  ['with kube-state-metrics and cAdvisor OOM events', { ksm: true, oomEvents: true }],
  ['cgroup v2 style (failcnt 0)', { failcntZero: true }],
];

/** Every pass on every capture exported as Prometheus data: it runs or says why it cannot. */
describe.each(VARIANTS)('Prometheus-format data, %s', (_name, variant) => {
  it.each(Object.keys(FIXTURES) as FixtureName[])('%s', async (fixture) => {
    const capture = await loadFixture(fixture);
    const fromCapture = analyzeWith([capture]);
    const r = analyzeWith([metricsFromCapture(capture, variant)]);
    for (const p of r.passes) {
      expect(p.status, `${p.id}: ${p.reason}`).not.toBe('error');
      if (p.status === 'not-applicable') expect(p.reason).toMatch(/^no container has /);
    }
    // Never a more severe verdict than the full breakdown gives, and never a new warning.
    for (const c of r.containers) {
      const same = fromCapture.containers.find((x) => x.entity.key === c.entity.key);
      if (!same) continue;
      const rank = ['ok', 'info', 'warning', 'critical'];
      expect(rank.indexOf(c.severity), c.entity.key).toBeLessThanOrEqual(rank.indexOf(same.severity));
    }
    if (fixture === 'healthy') expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
