import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { importCapture } from '../../src/import/cgroup/capture.js';
import { memoryTree } from '../../src/source/memory.js';
import { analyzeFixture, rawCapture } from '../helpers/fixtures.js';

const FIXTURE = 'v1-oom-killed-and-cache-inflated.tar.gz';
const API_DIR =
  'kubepods/burstable/pod4d0debc5-bb3d-2cc5-e4b1-4c22a0bc6a44/95fdc25a86450d67740f4348d09612ac6438e5f286016a5c695e7f3688a0f16f';

/** A container whose oom_kill counter takes the given values, one snapshot every 10 s. */
async function counterSeries(values: number[]) {
  const files: Record<string, string> = {};
  values.forEach((v, i) => {
    const dir = `${new Date(Date.UTC(2026, 0, 1, 0, 0, i * 10)).toISOString().replace('.000', '')}/kubepods/podaaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/${'f'.repeat(64)}`;
    files[`${dir}/memory.usage_in_bytes`] = `${(40 + i) << 20}\n`;
    files[`${dir}/memory.limit_in_bytes`] = `${64 << 20}\n`;
    files[`${dir}/memory.stat`] =
      `total_rss ${(38 + i) << 20}\ntotal_cache ${2 << 20}\ntotal_inactive_file 0\ntotal_shmem 0\n`;
    files[`${dir}/memory.oom_control`] = `oom_kill_disable 0\nunder_oom 0\noom_kill ${v}\n`;
  });
  return importCapture(memoryTree('series.tar', files));
}

describe('oom-kill', () => {
  it('reports each kill of the real leak with the composition just before it', async () => {
    const r = await analyzeFixture(FIXTURE);
    const kills = r.findings.filter((f) => f.pass === 'oom-kill');
    expect(kills.map((f) => [f.entity.key, f.code, f.evidence.kills])).toEqual([
      ['shop/checkout-7d9f/api', 'oom-kill/killed', 1],
      ['shop/checkout-7d9f/api', 'oom-kill/killed', 1],
    ]);
    expect(kills.every((f) => f.severity === 'critical')).toBe(true);
    // Each window is the pair of snapshots whose oom_kill counter differs, read straight from the files.
    const raw = rawCapture(FIXTURE);
    const snaps = [...raw.keys()].sort();
    const counter = snaps.map((s) =>
      Number(/oom_kill (\d+)/.exec(raw.get(s)!.get(API_DIR)!.get('memory.oom_control')!)![1]),
    );
    const windows = snaps.slice(1).flatMap((s, i) => (counter[i + 1] > counter[i] ? [[snaps[i], s]] : []));
    expect(kills.map((f) => [new Date(f.from).toISOString(), new Date(f.to).toISOString()])).toEqual(
      windows.map(([a, b]) => [a.replace('Z', '.000Z'), b.replace('Z', '.000Z')]),
    );
    const before = raw.get(windows[0][0])!.get(API_DIR)!;
    expect(kills[0].evidence.usageBytes).toBe(Number(before.get('memory.usage_in_bytes')));
    expect(kills[0].evidence.limitBytes).toBe(Number(before.get('memory.limit_in_bytes')));
    expect(kills[0].evidence.rssBytes).toBe(Number(/total_rss (\d+)/.exec(before.get('memory.stat')!)![1]));
    expect(kills[0].message).toMatch(
      /killed 1 process of this container.*usage 47\.2 MiB \(98\.4 % of the 48 MiB limit\), anon/,
    );
    expect(r.containers.find((c) => c.entity.key === 'shop/checkout-7d9f/api')!.oomKills).toBe(
      counter.at(-1),
    );
  });

  it('stays quiet on containers that were not killed', async () => {
    const r = await analyzeFixture(FIXTURE);
    expect(
      r.findings.filter((f) => f.pass === 'oom-kill' && f.entity.key !== 'shop/checkout-7d9f/api'),
    ).toEqual([]);
    expect(r.passes.find((p) => p.id === 'oom-kill')).toMatchObject({ status: 'ran' });
  });

  it('reports kills before the window, unless told not to', async () => {
    const ds = await counterSeries([3, 3, 4]);
    const codes = analyzeDatasets([ds]).findings.map((f) => [f.code, f.evidence.kills]);
    expect(codes).toEqual([
      ['oom-kill/before-window', 3],
      ['oom-kill/killed', 1],
    ]);
    const quiet = analyzeDatasets([ds], { passOptions: { 'oom-kill': { reportBeforeWindow: false } } });
    expect(quiet.findings.map((f) => f.code)).toEqual(['oom-kill/killed']);
  });

  it('bridges a counter reset (cgroup recreated) and counts only new kills', async () => {
    const r = analyzeDatasets([await counterSeries([0, 2, 0, 1])]);
    expect(r.findings.map((f) => f.evidence.kills)).toEqual([2, 1]);
    expect(r.containers[0].oomKills).toBe(3);
  });

  it('is not applicable, with a reason, when no container has an OOM-kill counter', async () => {
    const ds = await importCapture(
      memoryTree('memory-1764270000.tar', {
        [`kubepods/pod${'a'.repeat(8)}-bbbb-cccc-dddd-${'e'.repeat(12)}/${'1'.repeat(64)}/memory.usage_in_bytes`]:
          '100\n',
      }),
    );
    expect(analyzeDatasets([ds]).passes.find((p) => p.id === 'oom-kill')).toEqual({
      id: 'oom-kill',
      status: 'not-applicable',
      reason: 'no container has oomKills in these inputs',
      containers: 0,
    });
  });
});
