import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.js';
import { containersOf, seriesOf } from '../../src/model/model.js';
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
