/**
 * `memlens capture` (the library behind it) and scripts/memlens-capture.sh are one implementation
 * of the capture layout: on the same cgroup tree they must write archives the importer reads into
 * the same frame, with the same files byte for byte.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from '../../src/capture/capture.js';
import { V2_FILES } from '../../src/capture/spec.js';
import { buildModel } from '../../src/model/build.js';
import type { MemModel } from '../../src/model/model.js';
import { LAYOUTS, makeFakeCgroupFs } from './fake-cgroupfs.js';
import {
  archiveEntries,
  importArchive,
  manifestOf,
  privateTmp,
  runCliCapture,
  runScript,
  SHELLS,
  scratch,
} from './run.js';

const tmp = scratch();
const TMPDIR = privateTmp();
afterAll(() => {
  tmp.cleanup();
  rmSync(TMPDIR, { recursive: true, force: true });
});

/**
 * The frame as rows keyed by entity and snapshot number (captures taken at different moments have
 * different times), with every identity field and every column.
 */
function comparableFrame(model: MemModel): Record<string, unknown>[] {
  const times = [...new Set(model.t)].sort((a, b) => a - b);
  const rows: Record<string, unknown>[] = [];
  for (const e of model.entities) {
    for (let r = e.rowStart; r < e.rowEnd; r++) {
      const row: Record<string, unknown> = {
        key: e.key,
        role: e.role,
        cgroup: e.cgroup,
        containerId: e.containerId,
        podUid: e.podUid,
        qos: e.qos,
        driver: e.driver,
        cgroupVersion: e.cgroupVersion,
        snapshot: times.indexOf(model.t[r]),
      };
      for (const [name, col] of Object.entries(model.columns)) row[name] = col![r];
      rows.push(row);
    }
  }
  return rows.sort((a, b) =>
    `${a.key}\u0000${String(a.snapshot).padStart(4)}` < `${b.key}\u0000${String(b.snapshot).padStart(4)}`
      ? -1
      : 1,
  );
}

/** Files of a capture with the snapshot folder replaced by its number, content as text. */
async function files(gz: Buffer): Promise<[string, string][]> {
  const entries = await archiveEntries(gz);
  const folders = [
    ...new Set(entries.map((e) => e.name.split('/')[0]).filter((n) => /^\d{4}-/.test(n))),
  ].sort();
  return entries
    .filter((e) => e.type === 'file' && e.name !== 'manifest.json')
    .map(({ name, data }) => {
      const [first, ...rest] = name.split('/');
      return [`${folders.indexOf(first)}/${rest.join('/')}`, data.toString('latin1')] as [string, string];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const env = { TMPDIR, PATH: '/usr/bin:/bin' };
const shell = SHELLS[0];

describe.skipIf(!shell)(`memlens capture and the script (${shell?.name}) on the same tree`, () => {
  it.each(LAYOUTS)('on a %s node: same files, same frame, no warnings', async (layout) => {
    const fs = makeFakeCgroupFs(join(tmp.dir, layout), layout);
    const bySh = join(tmp.dir, 'out', `${layout}-sh.tar.gz`);
    const byNode = join(tmp.dir, 'out', `${layout}-node.tar.gz`);
    const sh = await runScript(shell!.argv, ['-m', fs.base, '-n', '2', '-i', '1', '-o', bySh], { env });
    expect(sh.code, sh.stderr).toBe(0);
    const result = await capture({
      cgroupFs: fs.base,
      count: 2,
      intervalSeconds: 1,
      out: byNode,
      meta: false,
    });
    expect(result).toMatchObject({ snapshots: 2, count: 2, cgroups: fs.cgroups, stopped: 'done' });
    expect(result.root.root).toBe(fs.root);

    const [a, b] = [readFileSync(bySh), readFileSync(byNode)];
    expect(await files(b)).toEqual(await files(a));
    const [ma, mb] = [await manifestOf(a), await manifestOf(b)];
    expect({ ...mb, start: 0, end: 0, tool: 0 }).toEqual({ ...ma, start: 0, end: 0, tool: 0 });
    expect(mb.tool).toBe('memlens capture');

    const [da, db] = [await importArchive(bySh), await importArchive(byNode)];
    expect(da.input.warnings).toEqual([]);
    expect(db.input.warnings).toEqual([]);
    const [fa, fb] = [comparableFrame(buildModel([da])), comparableFrame(buildModel([db]))];
    expect(fb.length).toBe(fs.cgroups * 2);
    expect(fb).toEqual(fa);
  });
});

/**
 * Stand-ins for the node's tools, answering as the real ones do: crictl and kubectl with JSON,
 * docker with ids and inspect output, dmesg with OOM reports for this root and for another cgroup.
 */
function standIns(dir: string, rel: string, containerId: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool(
    'crictl',
    `case "$1" in
  ps) echo '{"containers":[{"id":"${containerId}","podSandboxId":"0d9e","metadata":{"name":"api"},"state":"CONTAINER_RUNNING","labels":{"io.kubernetes.container.name":"api","io.kubernetes.pod.name":"checkout-7d9f","io.kubernetes.pod.namespace":"shop","io.kubernetes.pod.uid":"3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b"}}]}' ;;
  pods) echo '{"items":[{"id":"0d9e","metadata":{"name":"checkout-7d9f","uid":"3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b","namespace":"shop"}}]}' ;;
  *) exit 1 ;;
esac`,
  );
  // No API server reachable from this node: kubectl fails, and no kubectl file may be left behind.
  tool('kubectl', 'echo "The connection to the server localhost:8080 was refused" >&2; exit 1');
  tool(
    'docker',
    `case "$1" in ps) echo ${containerId.slice(0, 12)} ;; inspect) echo '[{"Id":"${containerId}","Name":"/api","State":{"Status":"running","OOMKilled":false},"RestartCount":0,"HostConfig":{"Memory":134217728}}]' ;; esac`,
  );
  tool(
    'dmesg',
    `cat <<'EOF'
[  100.000001] python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985
[  100.000002] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${rel}/burstable,task_memcg=${rel}/burstable/x,task=python3,pid=42,uid=0
[  100.000003] Memory cgroup out of memory: Killed process 42 (python3) total-vm:61676kB, anon-rss:48768kB, file-rss:6572kB, shmem-rss:0kB, UID:0 pgtables:152kB oom_score_adj:985
[  200.000002] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/backup.service,task_memcg=/system.slice/backup.service,task=rsync,pid=43,uid=0
[  200.000003] Memory cgroup out of memory: Killed process 43 (rsync) total-vm:1000kB, anon-rss:800kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:12kB oom_score_adj:0
[  300.000001] Task in ${rel}/burstable/y killed as a result of limit of ${rel}/burstable/y
[  300.000002] Killed process 44 (java) total-vm:2000kB, anon-rss:1900kB, file-rss:0kB, shmem-rss:0kB
EOF`,
  );
  return bin;
}

describe.skipIf(!shell)('names and kernel reports from the node’s tools', () => {
  it('the script and memlens capture keep the same metadata files, byte for byte', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'meta'), 'v1-cgroupfs');
    const bin = standIns(join(tmp.dir, 'meta'), '/kubepods', fs.containers[0].id);
    const withTools = { TMPDIR, PATH: `${bin}:/usr/bin:/bin` };
    const bySh = join(tmp.dir, 'out', 'meta-sh.tar.gz');
    const byNode = join(tmp.dir, 'out', 'meta-node.tar.gz');
    expect((await runScript(shell!.argv, ['-m', fs.base, '-o', bySh], { env: withTools })).code).toBe(0);
    expect((await runCliCapture(['-m', fs.base, '-o', byNode], { env: withTools })).code).toBe(0);
    const meta = async (p: string) =>
      (await archiveEntries(readFileSync(p)))
        .filter((e) => e.type === 'file' && e.name.startsWith('meta/'))
        .map((e) => [e.name, e.data.toString('utf8')]);
    const a = await meta(bySh);
    expect(a.map(([n]) => n)).toEqual([
      'meta/crictl-ps.json',
      'meta/crictl-pods.json',
      'meta/docker-inspect.json',
      'meta/dmesg-oom.txt',
    ]);
    expect(await meta(byNode)).toEqual(a);
    const dmesg = a.find(([n]) => n === 'meta/dmesg-oom.txt')![1].split('\n');
    expect(dmesg.filter(Boolean).map((l) => l.slice(0, 14))).toEqual([
      '[  100.000002]',
      '[  100.000003]',
      '[  300.000001]',
      '[  300.000002]',
    ]);
    // The importer puts the names to use.
    const ds = await importArchive(bySh);
    expect(ds.input.warnings).toEqual([]);
    const e = buildModel([ds]).entities.find((x) => x.containerId === fs.containers[0].id)!;
    expect(e.key).toBe('shop/checkout-7d9f/api');
  });
});

describe('memlens capture, the library', () => {
  it('stops after the snapshot being taken when aborted, and writes what it has', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'abort'), 'v2-systemd');
    const out = join(tmp.dir, 'out', 'abort.tar.gz');
    const stop = new AbortController();
    const events: string[] = [];
    const result = await capture({
      cgroupFs: fs.base,
      count: 50,
      intervalSeconds: 1,
      out,
      meta: false,
      signal: stop.signal,
      onEvent: (e) => {
        events.push(e.kind);
        if (e.kind === 'snapshot' && e.index === 2) stop.abort();
      },
    });
    expect(result).toMatchObject({ snapshots: 2, count: 50, stopped: 'interrupted' });
    expect(events.slice(0, 3)).toEqual(['start', 'first', 'snapshot']);
    expect(await manifestOf(readFileSync(out))).toMatchObject({
      snapshots: 2,
      complete: true,
      stopped: 'interrupted',
    });
    expect((await importArchive(out)).input.warnings).toEqual([]);
  });

  it('aborted before the first snapshot, writes nothing', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'abort-early'), 'v1-cgroupfs');
    const out = join(tmp.dir, 'out', 'abort-early.tar.gz');
    const stop = new AbortController();
    stop.abort();
    const result = await capture({ cgroupFs: fs.base, count: 5, out, meta: false, signal: stop.signal });
    expect(result.snapshots).toBe(0);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('copies every v2 file the kernel documents, and nothing else', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'v2-files'), 'v2-cgroupfs');
    const out = join(tmp.dir, 'out', 'v2-files.tar.gz');
    await capture({ cgroupFs: fs.base, out, meta: false });
    const names = new Set(
      (await archiveEntries(readFileSync(out)))
        .filter((e) => e.type === 'file')
        .map((e) => e.name.split('/').pop()),
    );
    names.delete('manifest.json');
    const psi = (() => {
      try {
        readFileSync('/proc/pressure/memory');
        return true;
      } catch {
        return false;
      }
    })();
    expect([...names].sort()).toEqual(V2_FILES.filter((f) => psi || f !== 'memory.pressure').sort());
  });
});
