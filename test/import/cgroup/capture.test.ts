import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { importCapture } from '../../../src/import/cgroup/capture.js';
import { buildModel } from '../../../src/model/build.js';
import { fieldColumn } from '../../../src/model/samples.js';
import { memoryTree } from '../../../src/source/memory.js';
import { MiB, under, v2Files } from '../../fixtures/v2.js';

const UID = '0b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10';
const UID_ = UID.replace(/-/g, '_');
const APP = 'c'.repeat(64);
const PAUSE = 'd'.repeat(64);

const v1Stat = (rss: number, cache: number, inactive: number) =>
  `cache ${cache}\nrss ${rss}\ntotal_cache ${cache}\ntotal_rss ${rss}\ntotal_shmem 0\ntotal_inactive_file ${inactive}\ntotal_active_file ${cache - inactive}\n`;

function v1Container(dir: string, usage: number, rss: number, cache: number, inactive: number, oomKill = 0) {
  return under(dir, {
    'memory.usage_in_bytes': `${usage}\n`,
    'memory.limit_in_bytes': `${64 * MiB}\n`,
    'memory.stat': v1Stat(rss, cache, inactive),
    'memory.oom_control': `oom_kill_disable 0\nunder_oom 0\noom_kill ${oomKill}\n`,
  });
}

describe('importCapture: snapshots and times', () => {
  it('merges time-named snapshot folders into one series per cgroup', async () => {
    const dir = `kubepods/burstable/pod${UID}/${APP}`;
    const tree = memoryTree('series.tgz', {
      ...v1Container(`2026-11-27T10:00:00Z/${dir}`, 10 * MiB, 8 * MiB, 2 * MiB, MiB),
      ...v1Container(`2026-11-27T10:00:10Z/${dir}`, 12 * MiB, 9 * MiB, 3 * MiB, MiB, 1),
    });
    const ds = await importCapture(tree);
    expect(ds.table.series).toEqual([`/${dir}`]);
    expect([...ds.table.t]).toEqual([Date.UTC(2026, 10, 27, 10), Date.UTC(2026, 10, 27, 10, 0, 10)]);
    expect([...fieldColumn(ds.table, 'memory.oom_control:oom_kill')!]).toEqual([0, 1]);
    expect(ds.input.details).toMatchObject({
      snapshots: 2,
      cgroupVersions: [1],
      snapshotTime: 'snapshot folder names',
    });
    expect(ds.input.warnings).toEqual([]);
  });

  it('takes a single snapshot’s time from the name, then the manifest, then file times', async () => {
    const files = v1Container(`kubepods/pod${UID}/${APP}`, MiB, MiB, 0, 0);
    const byName = await importCapture(memoryTree('/x/memory-1764270000.tar.gz', files));
    expect(byName.table.t[0]).toBe(1764270000000);
    const byManifest = await importCapture(
      memoryTree('snap.tar', {
        ...files,
        'manifest.json': JSON.stringify({ format: 'memlens-capture', start: '2026-11-27T10:00:00Z' }),
      }),
    );
    expect(byManifest.table.t[0]).toBe(Date.UTC(2026, 10, 27, 10));
    const withMtime = Object.fromEntries(
      Object.entries(files).map(([k, v]) => [k, { data: v, mtimeMs: 1764270123000 }]),
    );
    const byMtime = await importCapture(memoryTree('snap.tar', withMtime));
    expect(byMtime.table.t[0]).toBe(1764270123000);
    expect(byMtime.input.details.snapshotTime).toMatch(/modification times/);
    const none = await importCapture(memoryTree('snap.tar', files), { now: 42_000 });
    expect(none.table.t[0]).toBe(42_000);
    expect(none.input.warnings.join('\n')).toMatch(/nothing says when/);
  });

  it('merges several single-snapshot inputs of the same node into one series', async () => {
    const dir = `kubepods/pod${UID}/${APP}`;
    const a = await importCapture(memoryTree('memory-1764270000.tgz', v1Container(dir, MiB, MiB, 0, 0)));
    const b = await importCapture(
      memoryTree('memory-1764270060.tgz', v1Container(dir, 2 * MiB, 2 * MiB, 0, 0)),
    );
    const model = buildModel([b, a]);
    const c = model.entities.find((e) => e.role === 'container')!;
    expect(c.rowEnd - c.rowStart).toBe(2);
    expect([...model.t.subarray(c.rowStart, c.rowEnd)]).toEqual([1764270000000, 1764270060000]);
    expect([...model.columns.usage!.subarray(c.rowStart, c.rowEnd)]).toEqual([MiB, 2 * MiB]);
  });
});

describe('importCapture: what cannot be used', () => {
  it('refuses a tree of empty files and says how to capture instead', async () => {
    const tree = memoryTree('live.tar', { 'kubepods/memory.stat': '', 'kubepods/memory.usage_in_bytes': '' });
    await expect(importCapture(tree)).rejects.toThrow(InputError);
    await expect(importCapture(tree)).rejects.toThrow(
      /all 2 cgroup files are empty.*tar.*memlens-capture\.sh/,
    );
  });

  it('refuses a tree with no cgroup files', async () => {
    await expect(importCapture(memoryTree('x.tar', { 'notes.txt': 'hello' }))).rejects.toThrow(
      /no cgroup memory files/,
    );
  });

  it('keeps the files it can read and warns about empty ones and bad numbers with file and line', async () => {
    const tree = memoryTree('mixed.tar', {
      'kubepods/memory.usage_in_bytes': '100\n',
      'kubepods/memory.stat': 'total_rss 10\ntotal_cache oops\n',
      'kubepods/memory.failcnt': '',
    });
    const ds = await importCapture(tree, { now: 0 });
    expect(fieldColumn(ds.table, 'memory.stat:total_rss')![0]).toBe(10);
    expect(fieldColumn(ds.table, 'memory.stat:total_cache')).toBeUndefined();
    const w = ds.input.warnings.join('\n');
    expect(w).toContain('kubepods/memory.stat:2: "total_cache oops" is not a number');
    expect(w).toContain('1 of 3 cgroup files are empty');
  });
});

describe('importCapture: cgroup v2 and metadata', () => {
  it('reads a systemd-driver v2 tree and derives the working set from inactive_file', async () => {
    const pod = `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice`;
    const files = {
      ...under(
        `2026-11-27T10:00:00Z/${pod}/cri-containerd-${APP}.scope`,
        v2Files({ anon: 30 * MiB, activeFile: 5 * MiB, inactiveFile: 60 * MiB, max: 128 * MiB }),
      ),
      ...under(
        `2026-11-27T10:00:00Z/${pod}/cri-containerd-${PAUSE}.scope`,
        v2Files({ anon: 200 * 1024, activeFile: 0, inactiveFile: 0, kernel: 100 * 1024 }),
      ),
      ...under(
        `2026-11-27T10:00:00Z/${pod}`,
        v2Files({ anon: 31 * MiB, activeFile: 5 * MiB, inactiveFile: 60 * MiB }),
      ),
    };
    const ds = await importCapture(memoryTree('v2.tgz', files));
    expect(ds.input.details.cgroupVersions).toEqual([2]);
    const model = buildModel([ds]);
    const app = model.entities.find((e) => e.containerId === APP)!;
    expect(app).toMatchObject({
      role: 'container',
      driver: 'systemd',
      qos: 'burstable',
      podUid: UID,
      runtime: 'containerd',
      cgroupVersion: 2,
    });
    const r = app.rowStart;
    const current = 30 * MiB + 65 * MiB + 2 * MiB;
    expect(model.columns.usage![r]).toBe(current);
    expect(model.columns.workingSet![r]).toBe(current - 60 * MiB);
    expect(model.columns.limit![r]).toBe(128 * MiB);
    expect(app.provenance.workingSet).toBe('derived');
    // The pause container: no limit, a few hundred KiB, in a pod with another container.
    expect(model.entities.find((e) => e.containerId === PAUSE)!.role).toBe('sandbox');
    expect(model.entities.find((e) => e.role === 'pod')!.podUid).toBe(UID);
  });

  it('names containers from kubectl and marks sandboxes from crictl pods', async () => {
    const files = {
      ...v1Container(`kubepods/burstable/pod${UID}/${APP}`, 10 * MiB, 8 * MiB, 2 * MiB, MiB, 2),
      ...v1Container(`kubepods/burstable/pod${UID}/${PAUSE}`, 50 * MiB, 8 * MiB, 2 * MiB, MiB),
      'meta/kubectl-pods.json': JSON.stringify({
        kind: 'List',
        items: [
          {
            kind: 'Pod',
            metadata: { name: 'checkout-1', namespace: 'shop', uid: UID },
            spec: {
              nodeName: 'node-a',
              containers: [{ name: 'api', resources: { limits: { memory: '64Mi' } } }],
            },
            status: {
              qosClass: 'Burstable',
              containerStatuses: [
                {
                  name: 'api',
                  containerID: `containerd://${APP}`,
                  restartCount: 2,
                  lastState: { terminated: { reason: 'OOMKilled' } },
                },
              ],
            },
          },
        ],
      }),
      'meta/crictl-pods.json': JSON.stringify({
        items: [{ id: PAUSE, metadata: { name: 'checkout-1', uid: UID, namespace: 'shop' } }],
      }),
    };
    const ds = await importCapture(memoryTree('memory-1764270000.tar.gz', files));
    const model = buildModel([ds]);
    const app = model.entities.find((e) => e.containerId === APP)!;
    expect(app.key).toBe('shop/checkout-1/api');
    expect(app.node).toBe('node-a');
    expect(app.meta).toMatchObject({
      restartCount: 2,
      lastTerminatedReason: 'OOMKilled',
      limitBytes: 64 * MiB,
    });
    // 50 MiB would fail the size heuristic: crictl says it is the sandbox.
    expect(model.entities.find((e) => e.containerId === PAUSE)!.role).toBe('sandbox');
    expect(ds.input.details.metadata).toHaveLength(2);
  });

  it('names plain Docker containers from docker inspect', async () => {
    const files = {
      ...v1Container(`docker/${APP}`, 10 * MiB, 8 * MiB, 2 * MiB, MiB),
      'meta/docker-inspect.json': JSON.stringify([
        { Id: APP, Name: '/web', State: { Status: 'running', OOMKilled: false }, HostConfig: { Memory: 0 } },
      ]),
    };
    const model = buildModel([await importCapture(memoryTree('memory-1764270000.tar', files))]);
    expect(model.entities.find((e) => e.role === 'container')!.key).toBe('web');
  });

  it('warns about JSON it cannot use instead of failing', async () => {
    const files = {
      ...v1Container('kubepods', MiB, MiB, 0, 0),
      'meta/other.json': '{"hello": 1}',
      'meta/bad.json': '{',
    };
    const ds = await importCapture(memoryTree('memory-1764270000.tar', files));
    expect(ds.input.warnings.join('\n')).toMatch(
      /other\.json: JSON file is neither[\s\S]*bad\.json: not valid JSON/,
    );
  });
});
