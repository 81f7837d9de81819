import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { importCapture } from '../../src/import/cgroup/capture.js';
import { memoryTree } from '../../src/source/memory.js';
import { loadFixture as loadExport } from '../helpers/exports.js';
import {
  analyzeFixture,
  analyzeWith,
  findingsOf,
  loadFixture,
  MiB,
  rawCapture,
  statusOf,
} from '../helpers/fixtures.js';
import { metricsDataset } from '../helpers/metrics-dataset.js';
import type { PassCase } from '../helpers/pass-case.js';
import { passFindings } from '../helpers/pass-case.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

const PASS = 'oom-kill';

interface Case extends PassCase {
  /** Expected findings in time order: code, severity, kills, cause, sources. */
  expect: { code: string; severity: string; kills: number; cause?: string; seenBy?: string }[];
}

const API = 'shop/checkout-7d9f/api';

const cases: Case[] = [
  {
    name: 'a leak killed twice, counted by the cgroup and in the kernel log (no boot time: matched by count)',
    fixture: 'oomAndCache',
    container: API,
    expect: [
      { code: 'oom-kill/killed', severity: 'critical', kills: 1, cause: 'anon', seenBy: 'cgroup,kernel-log' },
      { code: 'oom-kill/killed', severity: 'critical', kills: 1, cause: 'anon', seenBy: 'cgroup,kernel-log' },
    ],
  },
  {
    name: 'tmpfs filled to the limit: two kills in one interval, caused by shmem',
    fixture: 'tmpfsOom',
    container: 'media/transcoder-9f8e/transcoder',
    expect: [
      {
        code: 'oom-kill/killed',
        severity: 'critical',
        kills: 2,
        cause: 'shmem',
        seenBy: 'cgroup,kernel-log',
      },
    ],
  },
  {
    name: 'empty files on tmpfs: the limit filled by kernel memory (inodes, dentries)',
    fixture: 'kernelOom',
    container: 'ops/tmp-cleaner-2b9a/cleaner',
    expect: [
      {
        code: 'oom-kill/killed',
        severity: 'critical',
        kills: 1,
        cause: 'kernel',
        seenBy: 'cgroup,kernel-log',
      },
    ],
  },
  {
    name: 'killed and restarted in a new cgroup: the counter is lost, the kernel log and kubectl remain',
    fixture: 'restarted',
    container: API,
    expect: [
      {
        code: 'oom-kill/killed',
        severity: 'critical',
        kills: 1,
        cause: 'anon',
        seenBy: 'kernel-log,kubernetes',
      },
    ],
  },
  { name: 'steady control', fixture: 'healthy', container: 'platform/config-server-0/server', expect: [] },
  {
    name: 'cache pinned at the limit is not a kill',
    fixture: 'cachePinned',
    container: 'search/indexer-0/indexer',
    expect: [],
  },
  { name: 'a leak not yet at its limit', fixture: 'leak', container: 'shop/cart-5b6c/cart', expect: [] },
  {
    name: 'Prometheus: kube-state-metrics restarts with reason OOMKilled, cause from cAdvisor series',
    fixture: 'oomAndCache',
    metrics: { ksm: true },
    container: API,
    expect: [
      { code: 'oom-kill/killed', severity: 'critical', kills: 1, cause: 'anon', seenBy: 'kubernetes' },
      { code: 'oom-kill/killed', severity: 'critical', kills: 1, cause: 'anon', seenBy: 'kubernetes' },
    ],
  },
  {
    name: 'Prometheus: container_oom_events_total alone is only a hint',
    fixture: 'oomAndCache',
    metrics: { oomEvents: true },
    container: API,
    expect: [
      { code: 'oom-kill/killed', severity: 'warning', kills: 1, cause: 'anon', seenBy: 'cadvisor' },
      { code: 'oom-kill/killed', severity: 'warning', kills: 1, cause: 'anon', seenBy: 'cadvisor' },
    ],
  },
  {
    name: 'Prometheus: kube-state-metrics and cAdvisor see the same kills once',
    fixture: 'oomAndCache',
    metrics: { ksm: true, oomEvents: true },
    container: API,
    expect: [
      {
        code: 'oom-kill/killed',
        severity: 'critical',
        kills: 1,
        cause: 'anon',
        seenBy: 'kubernetes,cadvisor',
      },
      {
        code: 'oom-kill/killed',
        severity: 'critical',
        kills: 1,
        cause: 'anon',
        seenBy: 'kubernetes,cadvisor',
      },
    ],
  },
];

describe('oom-kill', () => {
  it.each(cases)('$name', async (c) => {
    const got = (await passFindings(PASS, c)).sort((a, b) => a.from - b.from);
    expect(
      got.map((f) => ({
        code: f.code,
        severity: f.severity,
        kills: f.evidence.kills,
        ...(f.raw.cause ? { cause: f.raw.cause } : {}),
        ...(f.raw.seenBy ? { seenBy: f.raw.seenBy } : {}),
      })),
    ).toEqual(c.expect);
    for (const f of got) {
      // Every kill carries its window and, placed in time, the numbers of the last sample before.
      expect(f.to).toBeGreaterThanOrEqual(f.from);
      expect(f.evidence.lastSampleAt).toBeLessThanOrEqual(f.to);
      expect(f.evidence.usageBytes).toBeGreaterThan(0);
      expect(f.message).toContain('What filled the limit');
    }
  });

  it('names the killed task from the kernel log when the capture has the boot time', async () => {
    const r = analyzeWith([await loadFixture('tmpfsOom')]);
    const [f] = findingsOf(r, PASS, 'media/transcoder-9f8e/transcoder');
    expect(f.raw.task).toMatch(/^(sh|head)$/);
    expect(f.evidence.pid).toBeGreaterThan(0);
    expect(f.message).toContain(`The kernel log names ${f.raw.task} (pid ${f.evidence.pid})`);
    // The shmem that filled the limit, grown over the look-back window.
    expect(f.evidence.causeBytes).toBeGreaterThan(48 * MiB);
    expect(f.evidence.causeGrowthBytes).toBeGreaterThan(32 * MiB);
    expect(f.message).toContain('Killing processes does not free tmpfs');
  });

  it('finds every kill of a container restarted in new cgroups, named or not', async () => {
    const r = analyzeWith([await loadFixture('restarted')]);
    const kills = r.findings.filter((f) => f.pass === PASS);
    // Five instances of the container ran; four were killed. No cgroup counter kept any of them.
    expect(kills.reduce((n, f) => n + (f.evidence.kills ?? 0), 0)).toBe(4);
    expect(kills.every((f) => f.evidence.sourceCgroup === 0 && f.evidence.sourceKernelLog === 1)).toBe(true);
    const named = r.containers.find((c) => c.entity.key === API)!;
    expect(named.oomKills).toBe(1);
    expect(findingsOf(r, PASS, API)[0].evidence.restarts).toBe(4);
  });

  it('reports kills before the window, and not when told so', async () => {
    const capture = await loadFixture('oomAndCache');
    const firstKill = findingsOf(analyzeWith([capture]), PASS, API)[0].to;
    // Data from the first kill on (--since): the counter already stands at 1 in the first sample.
    const since = (opts: Record<string, string>) =>
      findingsOf(
        analyzeDatasets([capture], { since: firstKill, now: 0, passOptions: { [PASS]: opts } }),
        PASS,
        API,
      );
    const withDefault = since({});
    expect(withDefault.map((f) => f.code)).toEqual(['oom-kill/before-window', 'oom-kill/killed']);
    expect(withDefault[0].evidence.kills).toBe(1);
    expect(since({ reportBeforeWindow: 'false' }).map((f) => f.code)).toEqual(['oom-kill/killed']);
  });

  it('is not applicable to cAdvisor data without any OOM series, and says what to export', async () => {
    const r = analyzeWith([metricsFromCapture(await loadFixture('oomAndCache'))]);
    const s = statusOf(r, PASS);
    expect(s.status).toBe('not-applicable');
    expect(s.reason).toContain('kube_pod_container_status_last_terminated_reason');
  });
});

// Foundation cases (real capture read independently with the system tar).
const FIXTURE = 'oomAndCache' as const;
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

describe('oom-kill on the real capture, read independently', () => {
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
    expect(r.findings.filter((f) => f.pass === 'oom-kill').map((f) => f.evidence.kills)).toEqual([2, 1]);
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
      reason:
        'no container has oomKills or lastTerminatedOom or oomEvents (cgroup captures count kills; from Prometheus, export kube_pod_container_status_last_terminated_reason and restarts from kube-state-metrics)',
      containers: 0,
    });
  });
});

describe('oom-kill inferred from a restart at the limit (cAdvisor scrapes, no kill counter that rose)', () => {
  const SCRAPES = ['scrape-1700000150.prom', 'scrape-1700000165.prom', 'scrape-1700000195.prom'];
  const KILLED = 'shop/checkout-7d9c/api';
  const scrapes = () => Promise.all(SCRAPES.map((f) => loadExport(f)));

  it('reads a new container ID right after the working set reached the limit as a possible kill', async () => {
    const r = analyzeWith(await scrapes());
    const [f, ...more] = findingsOf(r, PASS, KILLED);
    expect(more).toEqual([]);
    expect(f).toMatchObject({
      code: 'oom-kill/killed',
      severity: 'warning',
      from: 1700000165217,
      to: 1700000195217,
    });
    expect(f.evidence).toMatchObject({ kills: 1, weak: 1, sourceRestart: 1, sourceCadvisor: 0 });
    expect(f.raw.cause).toBe('anon');
    expect(f.message).toMatch(
      /^A new instance of the container \(a new container ID\) appeared within 30s of a sample where its working set was 255 MiB \(99\.6 % of the 256 MiB limit\)/,
    );
    // A possible kill is no counted kill; the other container was not restarted.
    expect(r.containers.find((c) => c.entity.key === KILLED)!.oomKills).toBe(0);
    expect(findingsOf(r, PASS, 'shop/report-5c8b/reader')).toEqual([]);
  });

  it('infers nothing from a restart below restartAtLimitShare, or without a new instance', async () => {
    const data = await scrapes();
    expect(findingsOf(analyzeWith(data, { [PASS]: { restartAtLimitShare: 0.999 } }), PASS, KILLED)).toEqual(
      [],
    );
    // The same scrapes up to the last one before the restart: no new instance, no kill.
    expect(findingsOf(analyzeWith(data.slice(0, 2)), PASS, KILLED)).toEqual([]);
  });

  it('calls kills before the window that only cAdvisor counted possible ones (warning)', () => {
    const L = { namespace: 'shop', pod: 'p', container: 'app' };
    const pts = (v: number) => [0, 1, 2].map((i) => [1_700_000_000_000 + i * 15000, v] as [number, number]);
    const r = analyzeWith([
      metricsDataset('x.json', [
        { name: 'container_oom_events_total', labels: L, points: pts(3) },
        { name: 'container_memory_working_set_bytes', labels: L, points: pts(100 * MiB) },
      ]),
    ]);
    const [f] = findingsOf(r, PASS, 'shop/p/app');
    expect([f.code, f.severity, f.evidence.kills]).toEqual(['oom-kill/before-window', 'warning', 3]);
  });

  it('leaves the reason to Kubernetes where kube-state-metrics gives it', async () => {
    const r = analyzeWith([await loadExport('prometheus-query-range.json')]);
    const kills = findingsOf(r, PASS, KILLED);
    expect(kills.map((f) => [f.severity, f.raw.seenBy, f.evidence.sourceRestart])).toEqual([
      ['critical', 'kubernetes', 0],
    ]);
  });
});
