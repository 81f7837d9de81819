import { describe, expect, it } from 'vitest';
import { identify } from '../../src/model/entities.js';
import { emptyMetadata } from '../../src/model/metadata.js';
import { T0 } from '../helpers/exports.js';
import { metricsDataset } from '../helpers/metrics-dataset.js';

const POD =
  '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5f3e0c1a_2b4d_4e6f_8a9b_0c1d2e3f4a5b.slice';
const ctr = (id: string) => `${POD}/cri-containerd-${id.repeat(64 / id.length)}.scope`;

function roles(series: { labels: Record<string, string> }[]) {
  const ds = metricsDataset(
    'x',
    series.map((s) => ({ name: 'container_memory_usage_bytes', labels: s.labels, points: [[T0, 1]] })),
  );
  return identify([ds], emptyMetadata()).map((i) => ({ role: i.role, key: i.key }));
}

describe('identify (export labels)', () => {
  it('tells containers, pod cgroups, pause containers and the node apart', () => {
    expect(
      roles([
        { labels: { id: ctr('a'), namespace: 'shop', pod: 'p', container: 'app' } },
        { labels: { id: POD, namespace: 'shop', pod: 'p' } },
        // containerd: the pause container has pod labels, no container name, a container-level id
        { labels: { id: ctr('b'), namespace: 'shop', pod: 'p', name: 'b'.repeat(64) } },
        // dockershim: container="POD"
        { labels: { id: ctr('c'), namespace: 'shop', pod: 'p', container: 'POD' } },
        { labels: { id: '/' } },
        { labels: { id: '/system.slice/kubelet.service' } },
      ]),
    ).toEqual([
      { role: 'container', key: 'shop/p/app' },
      { role: 'pod', key: 'shop/p' },
      { role: 'sandbox', key: ctr('b') },
      { role: 'sandbox', key: ctr('c') },
      { role: 'node', key: '/' },
      { role: 'other', key: '/system.slice/kubelet.service' },
    ]);
  });

  it('names aggregated series without a cgroup by their labels, never all alike', () => {
    const r = roles([{ labels: { container: 'app' } }, { labels: { container: 'db' } }]);
    expect(r.map((x) => x.role)).toEqual(['container', 'container']);
    expect(r[0].key).not.toBe(r[1].key);
  });

  it('reads pre-1.16 labels and standalone cAdvisor on Docker', () => {
    expect(
      roles([
        {
          labels: {
            id: '/kubepods/burstable/pod11111111-2222-3333-4444-555555555555/' + 'd'.repeat(64),
            namespace: 'n',
            pod_name: 'p',
            container_name: 'web',
          },
        },
        { labels: { id: `/docker/${'e'.repeat(64)}`, name: 'nginx', image: 'nginx:1.25' } },
      ]),
    ).toEqual([
      { role: 'container', key: 'n/p/web' },
      { role: 'container', key: 'nginx' },
    ]);
  });
});
