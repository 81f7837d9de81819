import { describe, expect, it } from 'vitest';
import { containerKey, parsePath } from '../../src/model/identity.js';

const UID = '5f1b6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const UID_ = UID.replace(/-/g, '_');
const ID = 'a'.repeat(64);

describe('parsePath: every layout a user brings', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['cgroupfs root', '/kubepods', { role: 'node', driver: 'cgroupfs' }],
    ['cgroupfs QoS', '/kubepods/burstable', { role: 'qos', qos: 'burstable' }],
    [
      'cgroupfs burstable pod',
      `/kubepods/burstable/pod${UID}`,
      { role: 'pod', podUid: UID, qos: 'burstable' },
    ],
    [
      'cgroupfs besteffort container',
      `/kubepods/besteffort/pod${UID}/${ID}`,
      { role: 'container', qos: 'besteffort', podUid: UID, containerId: ID },
    ],
    [
      'cgroupfs guaranteed container',
      `/kubepods/pod${UID}/${ID}`,
      { role: 'container', qos: 'guaranteed', podUid: UID, containerId: ID },
    ],
    ['systemd root', '/kubepods.slice', { role: 'node', driver: 'systemd' }],
    ['systemd QoS', '/kubepods.slice/kubepods-besteffort.slice', { role: 'qos', qos: 'besteffort' }],
    [
      'systemd containerd',
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope`,
      {
        role: 'container',
        driver: 'systemd',
        qos: 'burstable',
        podUid: UID,
        containerId: ID,
        runtime: 'containerd',
      },
    ],
    [
      'systemd cri-o',
      `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/crio-${ID}.scope`,
      { role: 'container', podUid: UID, containerId: ID, runtime: 'cri-o' },
    ],
    [
      'systemd docker',
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/docker-${ID}.scope`,
      { role: 'container', containerId: ID, runtime: 'docker' },
    ],
    [
      'systemd guaranteed',
      `/kubepods.slice/kubepods-pod${UID_}.slice/cri-containerd-${ID}.scope`,
      { role: 'container', qos: 'guaranteed', podUid: UID, containerId: ID },
    ],
    [
      'cri-o conmon is not a container',
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/crio-conmon-${ID}.scope`,
      { role: 'other', podUid: UID },
    ],
    ['plain docker cgroupfs', `/docker/${ID}`, { role: 'container', driver: 'docker', containerId: ID }],
    ['plain docker root', '/docker', { role: 'node', driver: 'docker' }],
    [
      'plain docker systemd',
      `/system.slice/docker-${ID}.scope`,
      { role: 'container', driver: 'docker', containerId: ID },
    ],
    [
      'a prefix before kubepods is ignored',
      `/process_api/x/kubepods/burstable/pod${UID}/${ID}`,
      { role: 'container', podUid: UID },
    ],
    ['unrelated service', '/system.slice/sshd.service', { role: 'other', driver: 'unknown' }],
    ['mount root', '/', { role: 'node' }],
  ];
  for (const [name, path, expected] of cases) {
    it(name, () => expect(parsePath(path)).toMatchObject(expected));
  }
});

describe('containerKey', () => {
  it('is namespace/pod/container when names are known, else the cgroup path', () => {
    expect(containerKey({ namespace: 'shop', pod: 'api-1', container: 'api' }, '/x')).toBe('shop/api-1/api');
    expect(containerKey({ pod: 'api-1' }, '/kubepods/pod1/abc')).toBe('/kubepods/pod1/abc');
  });
});
