import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { fixture } from '../helpers/exports.js';

describe('memlens on exports', () => {
  it('analyses a Prometheus export end to end: OOM kill from kube-state-metrics, cache-inflated usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memlens-'));
    const r = await cli('analyze', fixture('prometheus-query-range.json'), '--out', dir, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs[0].format).toBe('prometheus-json');
    expect(doc.containers.map((c: { key: string }) => c.key)).toEqual([
      'shop/checkout-7d9c/api',
      'shop/report-5c8b/reader',
    ]);
    const codes = doc.findings.map((f: { code: string; container: string }) => `${f.code} ${f.container}`);
    expect(codes).toContain('oom-kill/killed shop/checkout-7d9c/api');
    expect(codes).toContain('cache-inflated-usage/inflated shop/report-5c8b/reader');
    const kill = doc.findings.find((f: { code: string }) => f.code === 'oom-kill/killed');
    expect(kill.evidence).toMatchObject({ kills: 1, sourceKubernetes: 1, limitBytes: 268435456 });
    expect(JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')).containers[0].limitBytes).toBe(
      268435456,
    );
  });

  it('takes --vm-format for a headerless VictoriaMetrics CSV and --tz for Grafana formatted times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memlens-'));
    const vm = await cli(
      'analyze',
      fixture('victoriametrics-export-noheader.csv'),
      '--vm-format',
      '__name__,namespace,pod,container,id,reason,resource,__value__,__timestamp__:unix_s',
      '--out',
      dir,
      '--quiet',
    );
    expect(vm.code).toBe(0);
    expect(vm.stderr).toBe('');
    const g = await cli(
      'inspect',
      fixture('grafana-9-single-formatted-bom.csv'),
      '--tz',
      'Europe/Berlin',
      '--json',
    );
    expect(JSON.parse(g.stdout).inputs[0]).toMatchObject({
      timeZone: 'Europe/Berlin',
      lossy: true,
      start: '2023-11-14T22:13:20.000Z',
    });
  });

  it('lists unknown metrics in inspect', async () => {
    const r = await cli('inspect', fixture('prometheus-query-range.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unknownMetrics: kube_pod_container_resource_limits\{resource="cpu"\}/);
  });

  it('says in one line what is wrong: a bad --tz, a file in no known format', async () => {
    const bad = await cli('analyze', fixture('prometheus-query-range.json'), '--tz', 'Mars/Base');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'memlens: --tz "Mars/Base" is not a time zone; use an IANA name like Europe/Berlin, UTC, or an offset like +02:00',
    );
    const dir = mkdtempSync(join(tmpdir(), 'memlens-'));
    const odd = join(dir, 'notes.txt');
    writeFileSync(odd, 'dear diary, the pod died again\n');
    const r = await cli('analyze', odd, '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toBe(
      `memlens: ${odd}: is in no format memlens knows: it is text, but not in a layout memlens reads (first line: "dear diary, the pod died again"). Tried cgroup-capture, grafana-csv, prometheus-csv, victoriametrics-csv, prometheus-json, victoriametrics-json, promtool-text, prometheus-exposition; docs/exports.md says how to export each`,
    );
  });

  it('reads - from stdin (gzip too) through a temporary file it removes', () => {
    const main = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
    const r = spawnSync(process.execPath, [main, 'inspect', '-', '--json'], {
      input: readFileSync(fixture('prometheus-query-range.json.gz')),
    });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout.toString());
    expect(doc.inputs[0]).toMatchObject({ path: '-', format: 'prometheus-json', samples: 990 });
  });

  it('stops a gzip that unpacks past --max-input-bytes: keeps the series before the limit, or says it is a bomb', async () => {
    const r = await cli('inspect', fixture('prometheus-query-range.json.gz'), '--json');
    expect(r.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'memlens-'));
    // 10000 of its 40191 bytes hold ten whole series: they are kept, with the reason the rest is not.
    const cut = await cli(
      'analyze',
      fixture('prometheus-query-range.json.gz'),
      '--max-input-bytes',
      '10000',
      '--out',
      dir,
    );
    expect(cut.code).toBe(0);
    expect(cut.stderr).toMatch(
      /prometheus-query-range\.json\.gz: reading stopped .*after 10000 decompressed bytes: the read limit \(--max-input-bytes 10000\).*raise --max-input-bytes/,
    );
    const findings = JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8'));
    expect(findings.inputs[0].samples).toBeGreaterThan(0);
    expect(findings.inputs[0].warnings.join('\n')).toMatch(/the read limit/);
    // The series read are anon and cache only: no container is called plainly ok without a working set.
    expect(findings.containers.length).toBeGreaterThan(0);
    for (const c of findings.containers) {
      expect(c.peak.workingSetBytes).toBeNull();
      expect(c.narrative).toMatch(/its working set is not in it .*headroom cannot be judged/);
    }
    expect(cut.stdout).toMatch(/ok\? \(no working set in the data\)/);
    // Its first series is longer than 500 bytes: nothing to keep, so an error.
    const bomb = await cli(
      'analyze',
      fixture('prometheus-query-range.json.gz'),
      '--max-input-bytes',
      '500',
      '--out',
      dir,
    );
    expect(bomb.code).toBe(2);
    expect(bomb.stderr).toMatch(
      /prometheus-query-range\.json\.gz: decompresses to more than 500 bytes \(the read limit, --max-input-bytes\) .*raise --max-input-bytes$/,
    );
  });

  it('passes --vm-format to a batch of exports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memlens-'));
    const r = await cli(
      'batch',
      fixture('victoriametrics-export-noheader.csv'),
      fixture('prometheus-query-range.json'),
      '--vm-format',
      '__name__,namespace,pod,container,id,reason,resource,__value__,__timestamp__:unix_s',
      '--out',
      dir,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(JSON.stringify(summary)).not.toMatch(/without a header/);
  });
});
