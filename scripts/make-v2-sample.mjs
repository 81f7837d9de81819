#!/usr/bin/env node
// Builds samples/v2-synthetic-documented-keys.tar.gz: a cgroup v2 capture (systemd driver,
// containerd scopes) whose files carry the keys Documentation/admin-guide/cgroup-v2.rst documents
// ("Memory Interface Files"), in its order, with values made up to tell a known story. It is
// SYNTHETIC: this machine runs cgroup v1, so no v2 kernel wrote these numbers. The manifest says so
// ("synthetic": ...), and so does the file name.
//
// The story, over 20 snapshots 10 s apart:
//  - ingest/parser-6b7f/parser (limit 256 MiB): anonymous memory grows until the kernel OOM-kills a
//    worker at the 13th snapshot (memory.events max climbs first, then oom and oom_kill go to 1);
//    the container keeps running with 48 MiB.
//  - web/frontend-5d9c/nginx (limit 512 MiB): usage near 80 % of the limit, mostly inactive file
//    cache; the working set stays near 110 MiB.
//  - cache/redis-0/redis (Guaranteed, limit 1 GiB): 600 MiB of tmpfs (shmem) plus 320 MiB anon; the
//    working set stays above 90 % of the limit, and dashboards show the shmem as "cache".
//
// Written with the same archive code and layout as `memlens capture` (dist/capture/), so run
// `npm run build` first. The output is byte-for-byte reproducible.
// Usage: node scripts/make-v2-sample.mjs [OUT.tar.gz]
import { writeFileSync } from 'node:fs';
import { gzipTarMember } from '../dist/capture/archive.js';
import { CAPTURE_FORMAT, CAPTURE_VERSION, MANIFEST_FILE, snapshotFolder } from '../dist/capture/spec.js';

const out = process.argv[2] ?? 'samples/v2-synthetic-documented-keys.tar.gz';
const MiB = 1024 * 1024;
const START = Date.UTC(2026, 10, 20, 8, 0, 0);
const INTERVAL = 10;
const SNAPSHOTS = 20;
const OOM_AT = 12; // snapshot index where the kill has happened

const pods = [
  {
    namespace: 'ingest',
    name: 'parser-6b7f',
    uid: '5b0e9a51-2f6c-4c1e-9d3a-7e2b8f4a6c10',
    qos: 'burstable',
    container: 'parser',
    id: 'a3f1c9e27b6d4058e1c2a7b9d0f3e6a15c8b2d4f7e9a0c1b3d5f7a9c2e4b6d80',
    sandbox: '0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e',
    image: 'registry.example/ingest/parser:2.3.1',
    limit: 256 * MiB,
  },
  {
    namespace: 'web',
    name: 'frontend-5d9c',
    uid: '9c4d2e71-8a3b-4f5c-b6d7-1e2f3a4b5c6d',
    qos: 'burstable',
    container: 'nginx',
    id: 'b7e2d4f6a8c0e1f3b5d7f9a1c3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1',
    sandbox: '1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3',
    image: 'registry.example/web/nginx:1.27',
    limit: 512 * MiB,
  },
  {
    namespace: 'cache',
    name: 'redis-0',
    uid: '2a7b9c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d',
    qos: 'guaranteed',
    container: 'redis',
    id: 'c9a1e3b5d7f9a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2',
    sandbox: '2f3e4d5c6b7a8998a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4',
    image: 'registry.example/cache/redis:7.2',
    limit: 1024 * MiB,
  },
];

/** What each container holds at snapshot i (bytes, page-aligned). */
function state(pod, i) {
  const page = (n) => Math.round(n / 4096) * 4096;
  if (pod.container === 'parser') {
    const anon = i < OOM_AT ? 120 * MiB + i * 11 * MiB : 48 * MiB + (i - OOM_AT) * MiB;
    const file = i < OOM_AT ? Math.max(2 * MiB, 24 * MiB - i * 2 * MiB) : 6 * MiB;
    return {
      anon: page(anon),
      activeFile: page(file * 0.75),
      inactiveFile: page(file * 0.25),
      shmem: 0,
      kernel: page(3 * MiB),
      // Reclaim kept hitting the limit in the snapshots before the kill.
      eventsMax: i < OOM_AT - 3 ? 0 : Math.min(i, OOM_AT) * 7 - 56,
      oom: i >= OOM_AT ? 1 : 0,
      oomKill: i >= OOM_AT ? 1 : 0,
      pressure: i < OOM_AT - 3 ? 0 : Math.min(i, OOM_AT) * 210_000 - 1_800_000,
    };
  }
  if (pod.container === 'nginx') {
    return {
      anon: page(50 * MiB + (i % 3) * MiB),
      activeFile: page(58 * MiB),
      inactiveFile: page(290 * MiB + i * 2 * MiB),
      shmem: 0,
      kernel: page(6 * MiB),
      eventsMax: 0,
      oom: 0,
      oomKill: 0,
      pressure: 0,
    };
  }
  return {
    anon: page(320 * MiB + i * 256 * 1024),
    activeFile: page(4 * MiB),
    inactiveFile: page(2 * MiB),
    shmem: page(600 * MiB),
    kernel: page(8 * MiB),
    eventsMax: 0,
    oom: 0,
    oomKill: 0,
    pressure: 0,
  };
}

const PAUSE = {
  anon: 36864,
  activeFile: 0,
  inactiveFile: 0,
  shmem: 0,
  kernel: 69632,
  eventsMax: 0,
  oom: 0,
  oomKill: 0,
  pressure: 0,
};

function add(a, b) {
  const s = {};
  for (const k of Object.keys(a)) s[k] = a[k] + b[k];
  return s;
}

/** The v2 interface files of one cgroup (cgroup-v2.rst), memory.stat keys in the documented order. */
function files(u, limit, peak) {
  const file = u.activeFile + u.inactiveFile + u.shmem;
  const current = u.anon + file + u.kernel;
  const kernelStack = Math.min(u.kernel, 49152);
  const pagetables = Math.min(u.kernel - kernelStack, Math.round(u.anon / 512 / 4096) * 4096);
  const percpu = 1440;
  const slab = Math.max(0, u.kernel - kernelStack - pagetables - percpu);
  const stat = [
    ['anon', u.anon],
    ['file', file],
    ['kernel', u.kernel],
    ['kernel_stack', kernelStack],
    ['pagetables', pagetables],
    ['sec_pagetables', 0],
    ['percpu', percpu],
    ['sock', 0],
    ['vmalloc', 0],
    ['shmem', u.shmem],
    ['zswap', 0],
    ['zswapped', 0],
    ['file_mapped', Math.round(u.activeFile / 3 / 4096) * 4096],
    ['file_dirty', 0],
    ['file_writeback', 0],
    ['swapcached', 0],
    ['anon_thp', 0],
    ['file_thp', 0],
    ['shmem_thp', 0],
    // shmem pages live on the anon LRU lists, not the file ones.
    ['inactive_anon', u.shmem + Math.round(u.anon / 8 / 4096) * 4096],
    ['active_anon', u.anon - Math.round(u.anon / 8 / 4096) * 4096],
    ['inactive_file', u.inactiveFile],
    ['active_file', u.activeFile],
    ['unevictable', 0],
    ['slab_reclaimable', Math.round(slab / 2)],
    ['slab_unreclaimable', slab - Math.round(slab / 2)],
    ['slab', slab],
    ['workingset_refault_anon', 0],
    ['workingset_refault_file', u.eventsMax * 40],
    ['workingset_activate_anon', 0],
    ['workingset_activate_file', u.eventsMax * 12],
    ['workingset_restore_anon', 0],
    ['workingset_restore_file', 0],
    ['workingset_nodereclaim', 0],
    ['pgscan', u.eventsMax * 512],
    ['pgsteal', u.eventsMax * 480],
    ['pgscan_kswapd', 0],
    ['pgscan_direct', u.eventsMax * 512],
    ['pgsteal_kswapd', 0],
    ['pgsteal_direct', u.eventsMax * 480],
    ['pgfault', Math.round(current / 4096) * 3],
    ['pgmajfault', 14],
    ['pgrefill', 0],
    ['pgactivate', Math.round(u.activeFile / 4096)],
    ['pgdeactivate', 0],
    ['pglazyfree', 0],
    ['pglazyfreed', 0],
    ['thp_fault_alloc', 0],
    ['thp_collapse_alloc', 0],
  ];
  const events = `low 0\nhigh 0\nmax ${u.eventsMax}\noom ${u.oom}\noom_kill ${u.oomKill}\noom_group_kill 0\n`;
  const avg = (x) => (x / 1e7).toFixed(2);
  return {
    'memory.current': `${current}\n`,
    'memory.max': `${limit ?? 'max'}\n`,
    'memory.high': 'max\n',
    'memory.low': '0\n',
    'memory.min': '0\n',
    'memory.stat': `${stat.map(([k, v]) => `${k} ${v}`).join('\n')}\n`,
    'memory.events': events,
    'memory.events.local': events,
    'memory.peak': `${Math.max(peak, current)}\n`,
    'memory.swap.current': '0\n',
    'memory.swap.max': 'max\n',
    'memory.swap.events': 'high 0\nmax 0\nfail 0\n',
    'memory.pressure': `some avg10=${avg(u.pressure)} avg60=${avg(u.pressure / 3)} avg300=${avg(u.pressure / 9)} total=${u.pressure}\nfull avg10=${avg(u.pressure / 2)} avg60=${avg(u.pressure / 6)} avg300=${avg(u.pressure / 18)} total=${Math.round(u.pressure / 2)}\n`,
    'memory.oom.group': '0\n',
  };
}

const slice = (uid) => uid.replace(/-/g, '_');
const peaks = new Map();
const members = [];
const manifest = (complete, taken, end) => {
  const m = {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    host: 'v2-docs-node',
    kernel: '6.6.0 (synthetic)',
    cgroupVersion: 2,
    root: '/sys/fs/cgroup/kubepods.slice',
    interval: INTERVAL,
    snapshots: taken,
    start: snapshotFolder(START),
    end,
    complete,
    stopped: complete ? 'done' : null,
    tool: 'scripts/make-v2-sample.mjs',
    synthetic:
      'built from the keys Documentation/admin-guide/cgroup-v2.rst documents; values are made up to tell a known story, not measured',
  };
  return {
    name: MANIFEST_FILE,
    type: 'file',
    mtime: new Date(START),
    data: Buffer.from(`${JSON.stringify(m, null, 2)}\n`),
  };
};
members.push(await gzipTarMember([manifest(false, 0, null)]));

for (let i = 0; i < SNAPSHOTS; i++) {
  const t = START + i * INTERVAL * 1000;
  const folder = snapshotFolder(t);
  const mtime = new Date(t);
  const entries = [{ name: folder, type: 'directory', mtime }];
  const cgroup = (path, u, limit) => {
    const peak = peaks.get(path) ?? 0;
    const f = files(u, limit, peak);
    peaks.set(path, Number(f['memory.peak']));
    entries.push({ name: `${folder}/${path}`, type: 'directory', mtime });
    for (const [name, text] of Object.entries(f))
      entries.push({ name: `${folder}/${path}/${name}`, type: 'file', mtime, data: Buffer.from(text) });
  };
  const none = Object.fromEntries(Object.keys(PAUSE).map((k) => [k, 0]));
  let total = none;
  let burstable = none;
  const besteffort = none;
  const podCgroups = [];
  for (const pod of pods) {
    const c = state(pod, i);
    const podTotal = add(c, PAUSE);
    const podPath =
      pod.qos === 'guaranteed'
        ? `kubepods.slice/kubepods-pod${slice(pod.uid)}.slice`
        : `kubepods.slice/kubepods-${pod.qos}.slice/kubepods-${pod.qos}-pod${slice(pod.uid)}.slice`;
    podCgroups.push([podPath, podTotal, pod.limit, pod, c]);
    total = add(total, podTotal);
    if (pod.qos === 'burstable') burstable = add(burstable, podTotal);
  }
  cgroup('kubepods.slice', total, null);
  cgroup('kubepods.slice/kubepods-besteffort.slice', besteffort, null);
  cgroup('kubepods.slice/kubepods-burstable.slice', burstable, null);
  for (const [podPath, podTotal, limit, pod, c] of podCgroups) {
    // The kubelet limits a pod whose containers all have limits to their sum.
    cgroup(podPath, podTotal, limit);
    cgroup(`${podPath}/cri-containerd-${pod.sandbox}.scope`, PAUSE, null);
    cgroup(`${podPath}/cri-containerd-${pod.id}.scope`, c, limit);
  }
  members.push(await gzipTarMember(entries));
}

// Names, as `kubectl get pods -A -o json` would give them on this node.
const kubectl = {
  apiVersion: 'v1',
  kind: 'List',
  items: pods.map((p) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, uid: p.uid },
    spec: {
      nodeName: 'v2-docs-node',
      containers: [
        {
          name: p.container,
          image: p.image,
          resources: {
            limits: { memory: `${p.limit / MiB}Mi` },
            requests: { memory: `${p.limit / MiB / 2}Mi` },
          },
        },
      ],
    },
    status: {
      qosClass: p.qos[0].toUpperCase() + p.qos.slice(1),
      containerStatuses: [
        {
          name: p.container,
          containerID: `containerd://${p.id}`,
          image: p.image,
          restartCount: 0,
          ready: true,
        },
      ],
    },
  })),
};
const end = snapshotFolder(START + (SNAPSHOTS - 1) * INTERVAL * 1000);
members.push(
  await gzipTarMember([
    manifest(true, SNAPSHOTS, end),
    { name: 'meta', type: 'directory', mtime: new Date(START) },
    {
      name: 'meta/kubectl-pods.json',
      type: 'file',
      mtime: new Date(START),
      data: Buffer.from(`${JSON.stringify(kubectl, null, 2)}\n`),
    },
  ]),
);
writeFileSync(out, Buffer.concat(members));
console.error(`wrote ${out}: ${SNAPSHOTS} synthetic cgroup v2 snapshots`);
