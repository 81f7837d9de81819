#!/usr/bin/env node
/**
 * Writes a synthetic node-scale cgroup capture with the shapes memlens-capture.sh produces:
 * `./<RFC3339>/<kubepods|kubepods.slice>/<cgroup path>/memory.*`, manifest.json and
 * meta/kubectl-pods.json, every file the script copies for the cgroup version, memory.stat with
 * the kernel's full key list (v1 `total_*` keys, v2 6.x keys), cgroupfs or systemd paths (the
 * systemd ones exceed 100 bytes, so they get pax headers), directory entries, names sorted as
 * `tar --sort=name` writes them. Churn as on a real node: containers restarting (new container
 * ID midway), pods deleted and pods created during the capture. Deterministic for a given seed.
 *
 *   node scripts/bench/gen-capture.mjs --out /tmp/x.tar.gz [--pods 110] [--snapshots 360]
 *        [--cgroup v1|v2] [--driver cgroupfs|systemd] [--compression gzip|none] [--seed 1]
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { TarWriter } from './tar-writer.mjs';

const MiB = 1024 * 1024;
const PAGE = 4096;
const UNLIMITED_V1 = 9223372036854771712n;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'api',
  'worker',
  'web',
  'cache',
  'db-proxy',
  'ingest',
  'scheduler',
  'metrics',
  'auth',
  'search',
];
const NAMESPACES = ['shop', 'payments', 'platform', 'batch', 'observability', 'search'];

function makeIds(rand) {
  const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  return {
    uid: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    cid: () => hex(64),
  };
}

/** One cgroup's memory, in pages where the kernel counts pages. */
function freshState(rand, limit) {
  return {
    anon: Math.floor(((20 + rand() * 300) * MiB) / PAGE) * PAGE,
    activeFile: Math.floor((rand() * 80 * MiB) / PAGE) * PAGE,
    inactiveFile: Math.floor((rand() * 200 * MiB) / PAGE) * PAGE,
    shmem: rand() < 0.1 ? Math.floor((rand() * 64 * MiB) / PAGE) * PAGE : 0,
    kernel: Math.floor(((1 + rand() * 8) * MiB) / PAGE) * PAGE,
    limit,
    pgfault: Math.floor(rand() * 1e6),
    pgmajfault: Math.floor(rand() * 100),
    refault: Math.floor(rand() * 1000),
    failcnt: 0,
    oomKill: 0,
    eventsMax: 0,
    peak: 0,
    psiSome: Math.floor(rand() * 1e6),
    psiFull: Math.floor(rand() * 1e5),
    grow: rand() < 0.05 ? 256 * 1024 : 0,
  };
}

function step(s, rand) {
  const jitter = (v, f) => Math.max(0, Math.floor((v + (rand() - 0.5) * f) / PAGE) * PAGE);
  s.anon = jitter(s.anon + s.grow, 2 * MiB);
  s.activeFile = jitter(s.activeFile, 1 * MiB);
  s.inactiveFile = jitter(s.inactiveFile, 4 * MiB);
  s.kernel = jitter(s.kernel, 64 * 1024);
  s.pgfault += Math.floor(rand() * 5000);
  s.pgmajfault += rand() < 0.1 ? 1 : 0;
  s.refault += Math.floor(rand() * 20);
  s.psiSome += Math.floor(rand() * 2000);
  s.psiFull += Math.floor(rand() * 200);
  if (s.limit && usage(s) > s.limit) {
    // Over the limit: reclaim cache first, then the OOM killer resets anon.
    s.failcnt += 10;
    s.eventsMax += 3;
    s.inactiveFile = Math.floor(s.inactiveFile / 4 / PAGE) * PAGE;
    if (usage(s) > s.limit) {
      s.oomKill++;
      s.anon = 16 * MiB;
    }
  }
  s.peak = Math.max(s.peak, usage(s));
}

const usage = (s) => s.anon + s.activeFile + s.inactiveFile + s.shmem + s.kernel;

function sum(states) {
  const out = freshState(() => 0, 0);
  for (const k of Object.keys(out)) out[k] = 0;
  for (const s of states) for (const k of Object.keys(out)) if (k !== 'limit' && k !== 'grow') out[k] += s[k];
  return out;
}

function v1Files(s, leaf) {
  const cache = s.activeFile + s.inactiveFile + s.shmem;
  const rss = s.anon;
  const local = leaf ? { cache, rss, shmem: s.shmem, af: s.activeFile, inf: s.inactiveFile } : null;
  const l = (k) => (local ? local[k] : 0);
  const limit = s.limit ? String(s.limit) : String(UNLIMITED_V1);
  const stat = [
    ['cache', l('cache')],
    ['rss', l('rss')],
    ['rss_huge', 0],
    ['shmem', l('shmem')],
    ['mapped_file', local ? Math.min(cache, 8 * MiB) : 0],
    ['dirty', 0],
    ['writeback', 0],
    ['workingset_refault_anon', 0],
    ['workingset_refault_file', local ? s.refault : 0],
    ['swap', 0],
    ['swapcached', 0],
    ['pgpgin', local ? s.pgfault : 0],
    ['pgpgout', local ? Math.floor(s.pgfault * 0.9) : 0],
    ['pgfault', local ? s.pgfault : 0],
    ['pgmajfault', local ? s.pgmajfault : 0],
    ['inactive_anon', local ? rss + s.shmem : 0],
    ['active_anon', 0],
    ['inactive_file', l('inf')],
    ['active_file', l('af')],
    ['unevictable', 0],
    ['hierarchical_memory_limit', limit],
    ['hierarchical_memsw_limit', String(UNLIMITED_V1)],
    ['total_cache', cache],
    ['total_rss', rss],
    ['total_rss_huge', 0],
    ['total_shmem', s.shmem],
    ['total_mapped_file', Math.min(cache, 8 * MiB)],
    ['total_dirty', 0],
    ['total_writeback', 0],
    ['total_workingset_refault_anon', 0],
    ['total_workingset_refault_file', s.refault],
    ['total_swap', 0],
    ['total_swapcached', 0],
    ['total_pgpgin', s.pgfault],
    ['total_pgpgout', Math.floor(s.pgfault * 0.9)],
    ['total_pgfault', s.pgfault],
    ['total_pgmajfault', s.pgmajfault],
    ['total_inactive_anon', rss + s.shmem],
    ['total_active_anon', 0],
    ['total_inactive_file', s.inactiveFile],
    ['total_active_file', s.activeFile],
    ['total_unevictable', 0],
  ];
  const u = usage(s);
  return {
    'memory.failcnt': `${s.failcnt}\n`,
    'memory.kmem.usage_in_bytes': `${s.kernel}\n`,
    'memory.limit_in_bytes': `${limit}\n`,
    'memory.max_usage_in_bytes': `${s.peak}\n`,
    'memory.memsw.failcnt': '0\n',
    'memory.memsw.limit_in_bytes': `${UNLIMITED_V1}\n`,
    'memory.memsw.max_usage_in_bytes': `${s.peak}\n`,
    'memory.memsw.usage_in_bytes': `${u}\n`,
    'memory.oom_control': `oom_kill_disable 0\nunder_oom 0\noom_kill ${s.oomKill}\n`,
    'memory.soft_limit_in_bytes': `${UNLIMITED_V1}\n`,
    'memory.stat': `${stat.map(([k, v]) => `${k} ${v}`).join('\n')}\n`,
    'memory.usage_in_bytes': `${u}\n`,
    'memory.use_hierarchy': '1\n',
  };
}

function v2Files(s) {
  const file = s.activeFile + s.inactiveFile + s.shmem;
  const slab = Math.floor(s.kernel * 0.6);
  const stat = [
    ['anon', s.anon],
    ['file', file],
    ['kernel', s.kernel],
    ['kernel_stack', Math.floor(s.kernel * 0.1)],
    ['pagetables', Math.floor(s.kernel * 0.2)],
    ['sec_pagetables', 0],
    ['percpu', Math.floor(s.kernel * 0.05)],
    ['sock', 0],
    ['vmalloc', 0],
    ['shmem', s.shmem],
    ['zswap', 0],
    ['zswapped', 0],
    ['file_mapped', Math.min(file, 8 * MiB)],
    ['file_dirty', 0],
    ['file_writeback', 0],
    ['swapcached', 0],
    ['anon_thp', 0],
    ['file_thp', 0],
    ['shmem_thp', 0],
    ['inactive_anon', s.anon + s.shmem],
    ['active_anon', 0],
    ['inactive_file', s.inactiveFile],
    ['active_file', s.activeFile],
    ['unevictable', 0],
    ['slab_reclaimable', Math.floor(slab * 0.4)],
    ['slab_unreclaimable', slab - Math.floor(slab * 0.4)],
    ['slab', slab],
    ['workingset_refault_anon', 0],
    ['workingset_refault_file', s.refault],
    ['workingset_activate_anon', 0],
    ['workingset_activate_file', Math.floor(s.refault / 3)],
    ['workingset_restore_anon', 0],
    ['workingset_restore_file', 0],
    ['workingset_nodereclaim', 0],
    ['pgdemote_kswapd', 0],
    ['pgdemote_direct', 0],
    ['pgdemote_khugepaged', 0],
    ['pgpromote_success', 0],
    ['pgscan', s.failcnt * 32],
    ['pgsteal', s.failcnt * 30],
    ['pgscan_kswapd', 0],
    ['pgscan_direct', s.failcnt * 32],
    ['pgscan_khugepaged', 0],
    ['pgsteal_kswapd', 0],
    ['pgsteal_direct', s.failcnt * 30],
    ['pgsteal_khugepaged', 0],
    ['pgfault', s.pgfault],
    ['pgmajfault', s.pgmajfault],
    ['pgrefill', 0],
    ['pgactivate', Math.floor(s.pgfault / 7)],
    ['pgdeactivate', 0],
    ['pglazyfree', 0],
    ['pglazyfreed', 0],
    ['swpin_zero', 0],
    ['swpout_zero', 0],
    ['zswpin', 0],
    ['zswpout', 0],
    ['zswpwb', 0],
    ['thp_fault_alloc', 0],
    ['thp_collapse_alloc', 0],
    ['thp_swpout', 0],
    ['thp_swpout_fallback', 0],
  ];
  const u = usage(s);
  const max = s.limit ? String(s.limit) : 'max';
  const ev = `low 0\nhigh 0\nmax ${s.eventsMax}\noom ${s.oomKill}\noom_kill ${s.oomKill}\noom_group_kill 0\n`;
  const avg = (v) => ((v % 997) / 100).toFixed(2);
  return {
    'memory.current': `${u}\n`,
    'memory.events': ev,
    'memory.events.local': ev,
    'memory.high': 'max\n',
    'memory.low': '0\n',
    'memory.max': `${max}\n`,
    'memory.min': '0\n',
    'memory.oom.group': '1\n',
    'memory.peak': `${s.peak}\n`,
    'memory.pressure': `some avg10=${avg(s.psiSome)} avg60=0.00 avg300=0.00 total=${s.psiSome}\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=${s.psiFull}\n`,
    'memory.stat': `${stat.map(([k, v]) => `${k} ${v}`).join('\n')}\n`,
    'memory.swap.current': '0\n',
    'memory.swap.max': 'max\n',
  };
}

/** The pods of the node, with the churn a real hour has. */
function plan(opts, rand) {
  const ids = makeIds(rand);
  const qosOf = (i) => (i % 5 === 0 ? 'guaranteed' : i % 5 === 4 ? 'besteffort' : 'burstable');
  const pods = [];
  const n = opts.snapshots;
  for (let i = 0; i < opts.pods; i++) {
    const qos = qosOf(i);
    const limit = qos === 'besteffort' ? 0 : (128 + Math.floor(rand() * 16) * 64) * MiB;
    const pod = {
      index: i,
      uid: ids.uid(),
      qos,
      name: `${NAMES[i % NAMES.length]}-${i}`,
      namespace: NAMESPACES[i % NAMESPACES.length],
      container: NAMES[i % NAMES.length],
      limit,
      from: 0,
      to: n,
      sandbox: { cid: ids.cid(), state: freshState(rand, 0) },
      // Each incarnation of the app container: its ID and the snapshots it lived through.
      apps: [{ cid: ids.cid(), from: 0, to: n, state: freshState(rand, limit) }],
    };
    pod.sandbox.state.anon = 200 * 1024;
    pod.sandbox.state.activeFile = 0;
    pod.sandbox.state.inactiveFile = 0;
    pod.sandbox.state.kernel = 100 * 1024;
    pod.sandbox.state.peak = usage(pod.sandbox.state);
    pods.push(pod);
  }
  // Churn: restarts (a new container ID from a snapshot on), deletions, late pods.
  const at = (f) => Math.max(1, Math.min(n - 1, Math.floor(n * f)));
  for (const [i, f] of [
    [3, 0.3],
    [17, 0.5],
    [42, 0.7],
  ]) {
    if (i >= pods.length) continue;
    const p = pods[i];
    const cut = at(f);
    p.apps[0].to = cut;
    p.apps.push({ cid: ids.cid(), from: cut, to: n, state: freshState(rand, p.limit) });
  }
  for (const i of [pods.length - 4, pods.length - 3]) if (i > 50) pods[i].to = at(0.6);
  for (const i of [pods.length - 2, pods.length - 1]) {
    if (i <= 50) continue;
    pods[i].from = at(0.4);
    pods[i].apps[0].from = pods[i].from;
  }
  return pods;
}

function cgroupPaths(opts, pod, cid) {
  const systemd = opts.driver === 'systemd';
  const uid_ = pod.uid.replace(/-/g, '_');
  if (systemd) {
    const qosSlice = pod.qos === 'guaranteed' ? '' : `kubepods-${pod.qos}.slice/`;
    const podSlice = `kubepods${pod.qos === 'guaranteed' ? '' : `-${pod.qos}`}-pod${uid_}.slice`;
    return {
      pod: `kubepods.slice/${qosSlice}${podSlice}`,
      container: cid && `kubepods.slice/${qosSlice}${podSlice}/cri-containerd-${cid}.scope`,
    };
  }
  const q = pod.qos === 'guaranteed' ? '' : `${pod.qos}/`;
  return { pod: `kubepods/${q}pod${pod.uid}`, container: cid && `kubepods/${q}pod${pod.uid}/${cid}` };
}

function kubectlPods(opts, pods) {
  const items = pods
    .filter((p) => p.to === opts.snapshots)
    .map((p) => {
      const app = p.apps.at(-1);
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: p.name, namespace: p.namespace, uid: p.uid },
        spec: {
          nodeName: 'bench-node',
          containers: [
            {
              name: p.container,
              image: `example/${p.container}:1`,
              resources: p.limit ? { limits: { memory: `${p.limit / MiB}Mi` } } : {},
            },
          ],
        },
        status: {
          qosClass: p.qos[0].toUpperCase() + p.qos.slice(1),
          containerStatuses: [
            {
              name: p.container,
              containerID: `containerd://${app.cid}`,
              restartCount: p.apps.length - 1,
              ready: true,
              ...(p.apps.length > 1
                ? {
                    lastState: {
                      terminated: {
                        reason: 'Error',
                        exitCode: 137,
                        containerID: `containerd://${p.apps.at(-2).cid}`,
                      },
                    },
                  }
                : {}),
            },
          ],
        },
      };
    });
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

function rfc3339(ms) {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Generates the capture; resolves to { bytes (tar stream), entries, snapshots }. */
export async function generateCapture(o) {
  const opts = {
    pods: 110,
    snapshots: 360,
    interval: 10,
    cgroup: 'v2',
    driver: 'systemd',
    compression: 'gzip',
    seed: 1,
    start: Date.UTC(2026, 10, 27, 18, 0, 0),
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  };
  const rand = mulberry32(opts.seed);
  const pods = plan(opts, rand);
  const file = createWriteStream(opts.out);
  const gzip = opts.compression === 'gzip' ? createGzip({ level: 6 }) : null;
  if (gzip) gzip.pipe(file);
  const target = gzip ?? file;
  const sink = async (chunk) => {
    if (!target.write(chunk)) await once(target, 'drain');
  };
  const tar = new TarWriter(sink);
  const rootName = opts.driver === 'systemd' ? 'kubepods.slice' : 'kubepods';
  const filesOf = (s, leaf) => (opts.cgroup === 'v1' ? v1Files(s, leaf) : v2Files(s));
  await tar.add('./', undefined, Math.floor(opts.start / 1000));

  for (let k = 0; k < opts.snapshots; k++) {
    const t = opts.start + k * opts.interval * 1000;
    const snap = `./${rfc3339(t)}`;
    const mtime = Math.floor(t / 1000);
    // The tree of this snapshot: path -> { files, children }.
    const tree = new Map();
    const node = (path) => {
      let n = tree.get(path);
      if (!n) {
        n = { files: null, children: new Set() };
        tree.set(path, n);
        const cut = path.lastIndexOf('/');
        if (cut > 0) node(path.slice(0, cut)).children.add(path);
      }
      return n;
    };
    const byQos = { guaranteed: [], burstable: [], besteffort: [] };
    for (const p of pods) {
      if (k < p.from || k >= p.to) continue;
      const live = p.apps.filter((a) => k >= a.from && k < a.to);
      for (const a of live) step(a.state, rand);
      const ps = sum([...live.map((a) => a.state), p.sandbox.state]);
      ps.limit = p.limit;
      ps.peak = Math.max(p.peakSeen ?? 0, usage(ps));
      p.peakSeen = ps.peak;
      byQos[p.qos].push(ps);
      const paths = cgroupPaths(opts, p);
      node(paths.pod).files = filesOf(ps, false);
      node(cgroupPaths(opts, p, p.sandbox.cid).container).files = filesOf(p.sandbox.state, true);
      for (const a of live) node(cgroupPaths(opts, p, a.cid).container).files = filesOf(a.state, true);
    }
    const all = [...byQos.guaranteed, ...byQos.burstable, ...byQos.besteffort];
    node(rootName).files = filesOf(sum(all), false);
    for (const q of ['burstable', 'besteffort']) {
      const path = opts.driver === 'systemd' ? `${rootName}/kubepods-${q}.slice` : `${rootName}/${q}`;
      node(path).files = filesOf(sum(byQos[q]), false);
    }
    await tar.add(`${snap}/`, undefined, mtime);
    const walk = async (path) => {
      const n = tree.get(path);
      await tar.add(`${snap}/${path}/`, undefined, mtime);
      // `tar --sort=name`: files and folders interleaved by name.
      const names = [
        ...Object.keys(n.files ?? {}).map((f) => [f, 'file']),
        ...[...n.children].map((c) => [c.slice(path.length + 1), 'dir']),
      ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [name, kind] of names) {
        if (kind === 'file') await tar.add(`${snap}/${path}/${name}`, n.files[name], mtime);
        else await walk(`${path}/${name}`);
      }
    };
    await walk(rootName);
  }
  const end = opts.start + (opts.snapshots - 1) * opts.interval * 1000;
  const manifest = {
    format: 'memlens-capture',
    version: 1,
    host: 'bench-node',
    kernel: opts.cgroup === 'v1' ? '5.15.0-bench' : '6.8.0-bench',
    cgroupVersion: opts.cgroup === 'v1' ? 1 : 2,
    root: opts.cgroup === 'v1' ? `/sys/fs/cgroup/memory/${rootName}` : `/sys/fs/cgroup/${rootName}`,
    interval: opts.interval,
    snapshots: opts.snapshots,
    start: rfc3339(opts.start),
    end: rfc3339(end),
    tool: 'gen-capture.mjs',
  };
  const last = Math.floor(end / 1000);
  await tar.add('./manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, last);
  await tar.add('./meta/', undefined, last);
  await tar.add('./meta/kubectl-pods.json', kubectlPods(opts, pods), last);
  await tar.end();
  target.end();
  await once(file, 'close');
  return { bytes: tar.bytes, entries: tar.entries, snapshots: opts.snapshots };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      pods: { type: 'string' },
      snapshots: { type: 'string' },
      cgroup: { type: 'string' },
      driver: { type: 'string' },
      compression: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (!values.out) {
    console.error('usage: gen-capture.mjs --out FILE [--pods N] [--snapshots N] [--cgroup v1|v2] …');
    process.exit(2);
  }
  const num = (v) => (v === undefined ? undefined : Number(v));
  const t0 = performance.now();
  const r = await generateCapture({
    out: values.out,
    pods: num(values.pods),
    snapshots: num(values.snapshots),
    cgroup: values.cgroup,
    driver: values.driver,
    compression: values.compression,
    seed: num(values.seed),
  });
  console.error(
    `wrote ${values.out}: ${r.entries} entries, ${(r.bytes / 1e9).toFixed(2)} GB tar, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
