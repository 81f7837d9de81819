import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { analyzeWith, findingsOf, loadFixture, MiB, statusOf } from '../helpers/fixtures.js';
import type { MetricsOptions } from '../helpers/prometheus.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

const PASS = 'oom-kill';

interface Case {
  name: string;
  fixture: FixtureName;
  /** Prometheus-format data made from the capture's numbers, with these series. */
  metrics?: MetricsOptions;
  container: string;
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
    const capture = await loadFixture(c.fixture);
    const r = analyzeWith([c.metrics ? metricsFromCapture(capture, c.metrics) : capture]);
    const got = findingsOf(r, PASS, c.container).sort((a, b) => a.from - b.from);
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
