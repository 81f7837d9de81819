import { describe, expect, it } from 'vitest';
import { importCapture } from '../../src/import/cgroup/capture.js';
import { buildModel } from '../../src/model/build.js';
import { memoryTree } from '../../src/source/memory.js';

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
