import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tarStream from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCapture } from '../../../src/import/cgroup/capture.js';
import { loadInput } from '../../../src/import/open.js';
import type { Dataset } from '../../../src/import/types.js';
import { buildModel } from '../../../src/model/build.js';
import { fieldColumn } from '../../../src/model/samples.js';
import { DEFAULT_READ_LIMITS } from '../../../src/source/types.js';
import { scratch } from '../../helpers/fixtures.js';
import { expectSameTable } from '../../helpers/tables.js';
import { tarFileSimple } from '../../helpers/tar-simple.js';

/**
 * A capture as real nodes and real tools make it: snapshot folders not in time order (a capture
 * re-packed, or merged from two runs), one snapshot twice (the second copy with a newer value),
 * a container restarted midway (a new container ID, so a new cgroup, from snapshot 3 on), a pod
 * deleted midway (its cgroups gone from snapshot 2), a pod created midway (from snapshot 2).
 */
const MiB = 1024 * 1024;
const T = [0, 1, 2, 3, 4].map((i) => Date.UTC(2026, 10, 27, 10, 0, i * 10));
const folder = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const UA = 'aaaaaaaa-1111-2222-3333-444444444444';
const UB = 'bbbbbbbb-1111-2222-3333-444444444444';
const UC = 'cccccccc-1111-2222-3333-444444444444';
const OLD = '1'.repeat(64);
const NEW = '2'.repeat(64);
const B1 = '3'.repeat(64);
const C1 = '4'.repeat(64);

/** Each container's usage encodes who and when: easy to check after any reordering. */
const usage = (who: number, k: number, bump = 0) => (who * 100 + k + 1) * MiB + bump;

function v1(u: number): Record<string, string> {
  return {
    'memory.usage_in_bytes': `${u}\n`,
    'memory.limit_in_bytes': `${512 * MiB}\n`,
    'memory.stat': `cache 0\nrss ${u}\ntotal_cache 0\ntotal_rss ${u}\ntotal_inactive_file 0\n`,
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
  };
}

/** The cgroups alive at snapshot k and their files. */
function snapshot(k: number, bump = 0): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (dir: string, u: number) => {
    for (const [f, v] of Object.entries(v1(u))) out[`${folder(T[k])}/kubepods/burstable/${dir}/${f}`] = v;
  };
  put(`pod${UA}`, usage(1, k, bump));
  put(`pod${UA}/${k < 3 ? OLD : NEW}`, usage(k < 3 ? 2 : 3, k, bump));
  if (k < 2) {
    put(`pod${UB}`, usage(4, k, bump));
    put(`pod${UB}/${B1}`, usage(5, k, bump));
  }
  if (k >= 2) {
    put(`pod${UC}`, usage(6, k, bump));
    put(`pod${UC}/${C1}`, usage(7, k, bump));
  }
  return out;
}

const kubectl = {
  kind: 'List',
  items: [
    {
      kind: 'Pod',
      metadata: { name: 'a', namespace: 'shop', uid: UA },
      spec: { containers: [{ name: 'app' }] },
      status: {
        qosClass: 'Burstable',
        containerStatuses: [
          {
            name: 'app',
            containerID: `containerd://${NEW}`,
            restartCount: 1,
            lastState: { terminated: { reason: 'Error', containerID: `containerd://${OLD}` } },
          },
        ],
      },
    },
    {
      kind: 'Pod',
      metadata: { name: 'c', namespace: 'shop', uid: UC },
      spec: { containers: [{ name: 'late' }] },
      status: {
        qosClass: 'Burstable',
        containerStatuses: [{ name: 'late', containerID: `containerd://${C1}` }],
      },
    },
  ],
};

const s = scratch();
let path: string;
let ds: Dataset;
beforeAll(async () => {
  const pack = tarStream.pack();
  // Out of order, and snapshot 1 twice: the second copy (read later) has every value 4 KiB higher.
  for (const [k, bump] of [
    [3, 0],
    [0, 0],
    [4, 0],
    [1, 0],
    [2, 0],
    [1, 4096],
  ]) {
    for (const [name, body] of Object.entries(snapshot(k, bump))) pack.entry({ name: `./${name}` }, body);
  }
  pack.entry({ name: './meta/kubectl-pods.json' }, JSON.stringify(kubectl));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  path = join(s.dir, 'reordered.tar');
  writeFileSync(path, Buffer.concat(chunks));
  ds = await loadInput({ path }, { limits: DEFAULT_READ_LIMITS });
});
afterAll(() => s.done());

const rowsOf = (d: Dataset, cgroup: string) => {
  const i = d.table.series.indexOf(cgroup);
  expect(i, cgroup).toBeGreaterThanOrEqual(0);
  const usageCol = fieldColumn(d.table, 'memory.usage_in_bytes')!;
  const rows: [number, number][] = [];
  for (let r = d.table.rowStart[i]; r < d.table.rowStart[i + 1]; r++) rows.push([d.table.t[r], usageCol[r]]);
  return rows;
};

describe('a capture with snapshots out of order, repeated, and cgroups that come and go', () => {
  it('puts every snapshot in time order, once', () => {
    expect(ds.input.details).toMatchObject({
      snapshots: 5,
      start: new Date(T[0]).toISOString(),
      end: new Date(T[4]).toISOString(),
      cgroups: 7,
    });
    expect(rowsOf(ds, `/kubepods/burstable/pod${UA}`)).toEqual(
      T.map((t, k) => [t, usage(1, k, k === 1 ? 4096 : 0)]),
    );
  });

  it('keeps the copy of a repeated snapshot read last, and says how many values were read twice', () => {
    // Snapshot 1 held 4 files × 4 cgroups; each file's values were set twice.
    const perCgroup = 1 + 1 + 5 + 3; // usage, limit, stat keys, oom_control keys
    expect(ds.input.details.duplicates).toBe(4 * perCgroup);
    expect(ds.input.warnings.join('\n')).toMatch(
      new RegExp(
        `reordered\\.tar: ${4 * perCgroup} values were read more than once .*the last one read was kept`,
      ),
    );
  });

  it('gives a restarted container’s two cgroups only the snapshots each lived through', () => {
    const pod = `/kubepods/burstable/pod${UA}`;
    expect(rowsOf(ds, `${pod}/${OLD}`)).toEqual(
      [0, 1, 2].map((k) => [T[k], usage(2, k, k === 1 ? 4096 : 0)]),
    );
    expect(rowsOf(ds, `${pod}/${NEW}`)).toEqual([3, 4].map((k) => [T[k], usage(3, k)]));
  });

  it('ends a deleted pod’s series at its last snapshot and starts a new pod’s at its first', () => {
    expect(rowsOf(ds, `/kubepods/burstable/pod${UB}/${B1}`)).toEqual([
      [T[0], usage(5, 0)],
      [T[1], usage(5, 1, 4096)],
    ]);
    expect(rowsOf(ds, `/kubepods/burstable/pod${UC}/${C1}`)).toEqual(
      [2, 3, 4].map((k) => [T[k], usage(7, k)]),
    );
  });

  it('joins the restarted container into one entity with no gap and no invented rows', () => {
    const model = buildModel([ds]);
    const app = model.entities.find((e) => e.key === 'shop/a/app')!;
    expect(app.containerIds).toEqual([OLD, NEW]);
    expect(app.containerId).toBe(NEW);
    expect([...model.t.subarray(app.rowStart, app.rowEnd)]).toEqual(T);
    expect([...model.columns.usage!.subarray(app.rowStart, app.rowEnd)]).toEqual([
      usage(2, 0),
      usage(2, 1, 4096),
      usage(2, 2),
      usage(3, 3),
      usage(3, 4),
    ]);
    const late = model.entities.find((e) => e.key === 'shop/c/late')!;
    expect(late.rowEnd - late.rowStart).toBe(3);
    const gone = model.entities.find((e) => e.containerId === B1)!;
    expect(gone.role).toBe('container');
    expect([...model.t.subarray(gone.rowStart, gone.rowEnd)]).toEqual([T[0], T[1]]);
    for (const e of model.entities) {
      for (let r = e.rowStart; r < e.rowEnd; r++) expect(model.columns.usage![r], e.key).not.toBeNaN();
    }
  });

  it('reads the same as the simple path', async () => {
    const simple = await importCapture(tarFileSimple(path, false), { textOnly: true });
    expectSameTable(ds.table, simple.table);
    expect(ds.input.details).toEqual(simple.input.details);
    expect(ds.input.warnings).toEqual(simple.input.warnings);
  });
});
