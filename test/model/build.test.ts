import { describe, expect, it } from 'vitest';
import { importCapture } from '../../src/import/cgroup/capture.js';
import { buildModel } from '../../src/model/build.js';
import { containersOf, seriesOf } from '../../src/model/model.js';
import { memoryTree } from '../../src/source/memory.js';
import { loadFixture } from '../helpers/fixtures.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

describe('buildModel: series of one container at the same times', () => {
  it('merges kube-state-metrics series into the cAdvisor rows of the same container, column by column', async () => {
    const capture = await loadFixture('oomAndCache');
    const m = buildModel([metricsFromCapture(capture, { ksm: true })]);
    const api = containersOf(m).find((e) => e.key === 'shop/checkout-7d9f/api')!;
    const s = seriesOf(m, api);
    const original = seriesOf(
      buildModel([capture]),
      containersOf(buildModel([capture])).find((e) => e.key === api.key)!,
    );
    // One row per time, as many as the capture had, each with usage and the restart count.
    expect(s.length).toBe(original.length);
    expect([...s.col('usage')!]).toEqual([...original.col('usage')!]);
    expect(s.col('restarts')!.every((v) => !Number.isNaN(v))).toBe(true);
    expect(Math.max(...s.col('restarts')!)).toBe(Math.max(...original.col('oomKills')!));
    expect(api.quality).toBeUndefined();
  });

  it('counts duplicated series, and conflicts when their values differ', async () => {
    const capture = await loadFixture('healthy');
    const same = containersOf(buildModel([metricsFromCapture(capture, { duplicate: { scale: 1 } })]))[0];
    expect(same.quality).toMatchObject({ duplicateSamples: 12, conflictingSamples: 0 });
    const off = containersOf(buildModel([metricsFromCapture(capture, { duplicate: { scale: 1.01 } })]))[0];
    expect(off.quality).toMatchObject({ duplicateSamples: 0, conflictingSamples: 12 });
  });

  it('records counter resets it bridged', async () => {
    const m = buildModel([
      metricsFromCapture(await loadFixture('cachePinned'), {
        tweak: (metric, _k, i, v, at) =>
          metric === 'container_memory_failcnt' && i >= 12 ? v - at('failcnt', 12) : v,
      }),
    ]);
    const shipper = containersOf(m).find((e) => e.key === 'logs/log-shipper-6f7d/shipper')!;
    expect(shipper.quality?.counterResets).toEqual({ failcnt: 1 });
    // Bridged: the cumulative count never goes down.
    const f = seriesOf(m, shipper).col('failcnt')!;
    for (let i = 1; i < f.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]);
  });

  it('joins the cgroups of a restarted container that metadata names into one series', async () => {
    const ds = await loadFixture('restarted');
    const m = buildModel([ds]);
    const api = containersOf(m).find((e) => e.key === 'shop/checkout-7d9f/api')!;
    expect(api.containerIds).toHaveLength(2);
    // Samples of both cgroups, in time order, none lost.
    const rowsOf = (id: string) => {
      const s = ds.table.series.findIndex((x) => x.endsWith(id));
      return ds.table.rowStart[s + 1] - ds.table.rowStart[s];
    };
    const s = seriesOf(m, api);
    expect(s.length).toBe(rowsOf(api.containerIds[0]) + rowsOf(api.containerIds[1]));
    for (let i = 1; i < s.length; i++) expect(s.t[i]).toBeGreaterThan(s.t[i - 1]);
    // The current instance (kubectl's containerID) is the entity's container ID.
    expect(api.containerId).toBe(api.meta?.id);
    expect(api.quality).toBeUndefined();
  });
});

// Foundation cases (real capture read independently with the system tar).
const UID = '7c0e6f5a-1b2c-4d3e-8f9a-0b1c2d3e4f5a';
const OLD = '1'.repeat(64);
const NEW = '2'.repeat(64);
const MiB = 1024 * 1024;

function container(snap: string, id: string, usage: number, kills: number, limit = 64 * MiB) {
  const d = `${snap}/kubepods/burstable/pod${UID}/${id}`;
  return {
    [`${d}/memory.usage_in_bytes`]: `${usage}\n`,
    [`${d}/memory.limit_in_bytes`]: `${limit}\n`,
    [`${d}/memory.stat`]: `total_rss ${usage}\ntotal_cache 0\ntotal_inactive_file 0\n`,
    [`${d}/memory.oom_control`]: `oom_kill ${kills}\n`,
  };
}

const kubectl = JSON.stringify({
  kind: 'List',
  items: [
    {
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'shop', uid: UID },
      status: {
        containerStatuses: [
          {
            name: 'web',
            containerID: `containerd://${NEW}`,
            restartCount: 1,
            lastState: { terminated: { reason: 'OOMKilled', containerID: `containerd://${OLD}` } },
          },
        ],
      },
    },
  ],
});

describe('buildModel', () => {
  it('merges a restarted container (new cgroup, same name) into one entity in time order', async () => {
    const ds = await importCapture(
      memoryTree('cap.tar', {
        ...container('2026-01-01T00:00:00Z', OLD, 60 * MiB, 1),
        ...container('2026-01-01T00:00:10Z', NEW, 5 * MiB, 0),
        ...container('2026-01-01T00:00:20Z', NEW, 9 * MiB, 0),
        'meta/kubectl-pods.json': kubectl,
      }),
    );
    const m = buildModel([ds]);
    const web = m.entities.filter((e) => e.role === 'container');
    expect(web.map((e) => e.key)).toEqual(['shop/web-0/web']);
    expect(web[0].containerIds).toEqual([OLD, NEW]);
    expect(web[0].containerId).toBe(NEW);
    expect([...m.columns.usage!.subarray(web[0].rowStart, web[0].rowEnd)]).toEqual([
      60 * MiB,
      5 * MiB,
      9 * MiB,
    ]);
    // The counter restarted with the new cgroup: the cumulative count keeps the old kill.
    expect([...m.columns.oomKills!.subarray(web[0].rowStart, web[0].rowEnd)]).toEqual([1, 1, 1]);
  });

  it('keeps only samples inside --since/--until and reports the window', async () => {
    const ds = await importCapture(
      memoryTree('cap.tar', {
        ...container('2026-01-01T00:00:00Z', NEW, MiB, 0),
        ...container('2026-01-01T00:00:10Z', NEW, 2 * MiB, 0),
        ...container('2026-01-01T00:00:20Z', NEW, 3 * MiB, 0),
      }),
    );
    const m = buildModel([ds], {
      since: Date.UTC(2026, 0, 1, 0, 0, 5),
      until: Date.UTC(2026, 0, 1, 0, 0, 15),
    });
    expect(m.window).toEqual({ start: Date.UTC(2026, 0, 1, 0, 0, 10), end: Date.UTC(2026, 0, 1, 0, 0, 10) });
    expect([...m.columns.usage!]).toEqual([2 * MiB]);
  });

  it('does not take a lone small unlimited container for a sandbox', async () => {
    const ds = await importCapture(
      memoryTree('memory-1764270000.tar', container('', NEW, 100 * 1024, 0, 2 ** 63 - 4096)),
    );
    expect(buildModel([ds]).entities.find((e) => e.containerId === NEW)!.role).toBe('container');
  });
});
