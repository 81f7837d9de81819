/**
 * Fake cgroup filesystems on disk: plain folders shaped like a node's /sys/fs/cgroup for every
 * layout the capture tools must find (cgroup v1, v2 and hybrid; cgroupfs and systemd drivers; plain
 * Docker), holding files with the content and keys the kernel documents
 * (Documentation/admin-guide/cgroup-v1/memory.rst, cgroup-v2.rst). Values are chosen per container
 * so tests can check what the importer reads against what was written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Layout =
  | 'v2-systemd'
  | 'v2-cgroupfs'
  | 'v1-systemd'
  | 'v1-cgroupfs'
  | 'hybrid-v1-cgroupfs'
  | 'nested-v1-cgroupfs'
  | 'docker-v1-cgroupfs'
  | 'docker-v1-systemd'
  | 'docker-v2-cgroupfs'
  | 'docker-v2-systemd';

export const LAYOUTS: Layout[] = [
  'v2-systemd',
  'v2-cgroupfs',
  'v1-systemd',
  'v1-cgroupfs',
  'hybrid-v1-cgroupfs',
  'nested-v1-cgroupfs',
  'docker-v1-cgroupfs',
  'docker-v1-systemd',
  'docker-v2-cgroupfs',
  'docker-v2-systemd',
];

export interface FakeContainer {
  /** Path relative to the captured root's parent, as the importer names the cgroup ('/kubepods/…'). */
  cgroup: string;
  id: string;
  podUid?: string;
  anon: number;
  activeFile: number;
  inactiveFile: number;
  shmem: number;
  kernel: number;
  /** null: no limit. */
  limit: number | null;
  oomKills: number;
}

export interface FakeCgroupFs {
  /** Where the fake cgroup filesystem is "mounted" (what -m / --cgroup-fs take). */
  base: string;
  /** The root the capture tools should pick. */
  root: string;
  cgroupVersion: 1 | 2;
  containers: FakeContainer[];
  /** cgroups at and below the root. */
  cgroups: number;
}

const MiB = 1024 * 1024;
const UNLIMITED_V1 = '9223372036854771712';
const POD_A = '3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
const POD_B = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const hex = (seed: number) => {
  let s = '';
  let x = seed;
  while (s.length < 64) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    s += x.toString(16).padStart(8, '0');
  }
  return s.slice(0, 64);
};

function write(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

interface Usage {
  anon: number;
  activeFile: number;
  inactiveFile: number;
  shmem: number;
  kernel: number;
  limit: number | null;
  oomKills: number;
}

const ZERO: Usage = {
  anon: 0,
  activeFile: 0,
  inactiveFile: 0,
  shmem: 0,
  kernel: 0,
  limit: null,
  oomKills: 0,
};

function sum(us: Usage[]): Usage {
  return us.reduce(
    (a, u) => ({
      anon: a.anon + u.anon,
      activeFile: a.activeFile + u.activeFile,
      inactiveFile: a.inactiveFile + u.inactiveFile,
      shmem: a.shmem + u.shmem,
      kernel: a.kernel + u.kernel,
      limit: null,
      oomKills: a.oomKills + u.oomKills,
    }),
    ZERO,
  );
}

/** cgroup v1 files as the kernel writes them (keys and order of a 6.x memory.stat). */
export function v1Files(local: Usage, total: Usage): Record<string, string> {
  const cache = (u: Usage) => u.activeFile + u.inactiveFile + u.shmem;
  const usage = total.anon + cache(total);
  const stat = (prefix: string, u: Usage) => [
    `${prefix}cache ${cache(u)}`,
    `${prefix}rss ${u.anon}`,
    `${prefix}rss_huge 0`,
    `${prefix}shmem ${u.shmem}`,
    `${prefix}mapped_file ${Math.floor(cache(u) / 4 / 4096) * 4096}`,
    `${prefix}dirty 0`,
    `${prefix}writeback 0`,
    `${prefix}workingset_refault_anon 0`,
    `${prefix}workingset_refault_file 0`,
    `${prefix}swap 0`,
    `${prefix}swapcached 0`,
    `${prefix}pgpgin ${(u.anon + cache(u)) / 4096 + 100}`,
    `${prefix}pgpgout 100`,
    `${prefix}pgfault ${(u.anon + cache(u)) / 4096 + 300}`,
    `${prefix}pgmajfault 0`,
    // shmem lives on the anon LRU lists.
    `${prefix}inactive_anon ${u.shmem}`,
    `${prefix}active_anon ${u.anon}`,
    `${prefix}inactive_file ${u.inactiveFile}`,
    `${prefix}active_file ${u.activeFile}`,
    `${prefix}unevictable 0`,
  ];
  const limit = local.limit === null ? UNLIMITED_V1 : String(local.limit);
  return {
    'memory.stat': `${[
      ...stat('', local),
      `hierarchical_memory_limit ${limit}`,
      `hierarchical_memsw_limit ${UNLIMITED_V1}`,
      ...stat('total_', total),
    ].join('\n')}\n`,
    'memory.usage_in_bytes': `${usage}\n`,
    'memory.limit_in_bytes': `${limit}\n`,
    'memory.max_usage_in_bytes': `${usage + 16 * 4096}\n`,
    'memory.failcnt': `${total.oomKills * 3}\n`,
    'memory.oom_control': `oom_kill_disable 0\nunder_oom 0\noom_kill ${total.oomKills}\n`,
    'memory.memsw.usage_in_bytes': `${usage}\n`,
    'memory.memsw.limit_in_bytes': `${UNLIMITED_V1}\n`,
    'memory.memsw.max_usage_in_bytes': `${usage + 16 * 4096}\n`,
    'memory.memsw.failcnt': '0\n',
    'memory.kmem.usage_in_bytes': `${total.kernel}\n`,
    'memory.soft_limit_in_bytes': `${UNLIMITED_V1}\n`,
    'memory.use_hierarchy': '1\n',
    // Files a capture must not copy.
    'memory.force_empty': '',
    'memory.numa_stat': 'total=0 N0=0\n',
    'cgroup.procs': '',
    tasks: '',
  };
}

/** cgroup v2 files as cgroup-v2.rst documents them (memory.stat keys in its order). */
export function v2Files(u: Usage): Record<string, string> {
  const file = u.activeFile + u.inactiveFile + u.shmem;
  const current = u.anon + file + u.kernel;
  const stat = {
    anon: u.anon,
    file,
    kernel: u.kernel,
    kernel_stack: 16384,
    pagetables: 4096 * 8,
    sec_pagetables: 0,
    percpu: 1024,
    sock: 0,
    vmalloc: 0,
    shmem: u.shmem,
    zswap: 0,
    zswapped: 0,
    file_mapped: Math.floor(file / 4 / 4096) * 4096,
    file_dirty: 0,
    file_writeback: 0,
    swapcached: 0,
    anon_thp: 0,
    file_thp: 0,
    shmem_thp: 0,
    // shmem lives on the anon LRU lists.
    inactive_anon: u.shmem,
    active_anon: u.anon,
    inactive_file: u.inactiveFile,
    active_file: u.activeFile,
    unevictable: 0,
    slab_reclaimable: Math.floor(u.kernel / 2),
    // The kernel prints these unsigned: never below 0, however small the kernel part.
    slab_unreclaimable: Math.max(0, u.kernel - Math.floor(u.kernel / 2) - 16384 - 4096 * 8 - 1024),
    slab: Math.max(0, u.kernel - 16384 - 4096 * 8 - 1024),
    workingset_refault_anon: 0,
    workingset_refault_file: 12,
    workingset_activate_anon: 0,
    workingset_activate_file: 3,
    workingset_restore_anon: 0,
    workingset_restore_file: 0,
    workingset_nodereclaim: 0,
    pgscan: 40,
    pgsteal: 38,
    pgfault: 9000,
    pgmajfault: 2,
    pgrefill: 0,
    pgactivate: 500,
    pgdeactivate: 0,
    pglazyfree: 0,
    pglazyfreed: 0,
    thp_fault_alloc: 0,
    thp_collapse_alloc: 0,
  };
  const events = `low 0\nhigh 0\nmax ${u.oomKills * 5}\noom ${u.oomKills}\noom_kill ${u.oomKills}\noom_group_kill 0\n`;
  return {
    'cgroup.controllers': 'memory pids\n',
    'cgroup.procs': '',
    'memory.current': `${current}\n`,
    'memory.min': '0\n',
    'memory.low': '0\n',
    'memory.high': 'max\n',
    'memory.max': `${u.limit === null ? 'max' : u.limit}\n`,
    'memory.peak': `${current + 16 * 4096}\n`,
    'memory.oom.group': '0\n',
    'memory.events': events,
    'memory.events.local': events,
    'memory.stat': `${Object.entries(stat)
      .map(([k, v]) => `${k} ${v}`)
      .join('\n')}\n`,
    'memory.swap.current': '0\n',
    'memory.swap.max': 'max\n',
    'memory.swap.events': 'high 0\nmax 0\nfail 0\n',
    'memory.pressure':
      'some avg10=0.00 avg60=0.12 avg300=0.04 total=183215\nfull avg10=0.00 avg60=0.08 avg300=0.02 total=120937\n',
    // Files a capture must not copy.
    'memory.numa_stat': 'anon N0=0\n',
    'memory.reclaim': '',
  };
}

interface Node {
  path: string; // below the root's parent, e.g. kubepods.slice/kubepods-burstable.slice
  usage?: Usage; // leaves only
  container?: FakeContainer;
}

/** Builds a fake cgroup filesystem for a layout under `dir` and says what a capture should find. */
export function makeFakeCgroupFs(dir: string, layout: Layout): FakeCgroupFs {
  const v2 = layout.includes('v2');
  const systemd = layout.includes('systemd');
  const docker = layout.startsWith('docker');
  const base = join(dir, 'sys-fs-cgroup');
  // Where the memory hierarchy sits in the fake filesystem.
  const mount = v2 ? base : join(base, 'memory');
  const containerA = hex(1);
  const containerB = hex(2);
  const a: Usage = {
    anon: 20 * MiB,
    activeFile: 4 * MiB,
    inactiveFile: 40 * MiB,
    shmem: 0,
    kernel: 2 * MiB,
    limit: 128 * MiB,
    oomKills: 0,
  };
  const b: Usage = {
    anon: 60 * MiB,
    activeFile: 2 * MiB,
    inactiveFile: 1 * MiB,
    shmem: 8 * MiB,
    kernel: 1 * MiB,
    limit: 72 * MiB,
    oomKills: 2,
  };
  const pause: Usage = {
    anon: 40960,
    activeFile: 0,
    inactiveFile: 0,
    shmem: 0,
    kernel: 8192,
    limit: null,
    oomKills: 0,
  };

  let rootRel: string;
  const leaves: Node[] = [];
  const inner: string[] = [];
  if (docker) {
    rootRel = systemd ? 'system.slice' : 'docker';
    const name = (id: string) => (systemd ? `system.slice/docker-${id}.scope` : `docker/${id}`);
    leaves.push({ path: name(containerA), usage: a });
    leaves.push({ path: name(containerB), usage: b });
    if (systemd) leaves.push({ path: 'system.slice/sshd.service', usage: pause });
  } else {
    const nest = layout === 'nested-v1-cgroupfs' ? 'kubelet/' : '';
    rootRel = `${nest}${systemd ? 'kubepods.slice' : 'kubepods'}`;
    const burst = systemd ? `${rootRel}/kubepods-burstable.slice` : `${rootRel}/burstable`;
    const best = systemd ? `${rootRel}/kubepods-besteffort.slice` : `${rootRel}/besteffort`;
    const podA = systemd
      ? `${burst}/kubepods-burstable-pod${POD_A.replace(/-/g, '_')}.slice`
      : `${burst}/pod${POD_A}`;
    const podB = systemd
      ? `${rootRel}/kubepods-pod${POD_B.replace(/-/g, '_')}.slice`
      : `${rootRel}/pod${POD_B}`;
    const leaf = (pod: string, id: string) =>
      systemd ? `${pod}/cri-containerd-${id}.scope` : `${pod}/${id}`;
    inner.push(rootRel, burst, best, podA, podB);
    leaves.push({ path: leaf(podA, hex(11)), usage: pause });
    leaves.push({ path: leaf(podA, containerA), usage: a });
    leaves.push({ path: leaf(podB, hex(12)), usage: pause });
    leaves.push({ path: leaf(podB, containerB), usage: b });
  }
  for (const l of leaves) {
    if (l.usage === a || l.usage === b) {
      const id = l.usage === a ? containerA : containerB;
      l.container = {
        cgroup: `/${l.path.slice(rootRel.lastIndexOf('/') + 1)}`,
        id,
        podUid: docker ? undefined : l.usage === a ? POD_A : POD_B,
        ...l.usage,
      };
    }
  }

  // The hierarchy's own root and some cgroups that are not ours.
  if (v2) {
    write(base, {
      'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
      'cgroup.subtree_control': 'cpuset cpu io memory pids\n',
      'memory.stat': v2Files(sum([a, b, pause]))['memory.stat'],
      'memory.pressure': v2Files(ZERO)['memory.pressure'],
    });
    if (!(docker && systemd)) write(join(base, 'system.slice', 'containerd.service'), v2Files(pause));
  } else {
    write(mount, v1Files(sum([a, b, pause, pause]), sum([a, b, pause, pause])));
    for (const c of ['cpu', 'cpuacct', 'pids']) write(join(base, c), { 'cgroup.procs': '', tasks: '' });
    if (!(docker && systemd)) write(join(mount, 'system.slice', 'containerd.service'), v1Files(pause, pause));
    if (layout === 'hybrid-v1-cgroupfs')
      write(join(base, 'unified'), { 'cgroup.controllers': '\n', 'cgroup.procs': '' });
  }
  if (docker && systemd) inner.push('system.slice');
  if (docker && !systemd) inner.push('docker');
  if (layout === 'nested-v1-cgroupfs') inner.unshift('kubelet');

  // Inner cgroups carry the totals of what is below them (v1 total_*, v2 memory.current).
  const below = (p: string) => leaves.filter((l) => l.path.startsWith(`${p}/`)).map((l) => l.usage!);
  for (const p of inner) {
    const total = sum(below(p));
    write(join(mount, p), v2 ? v2Files(total) : v1Files(ZERO, total));
  }
  for (const l of leaves) write(join(mount, l.path), v2 ? v2Files(l.usage!) : v1Files(l.usage!, l.usage!));

  const rootAbs = join(mount, rootRel);
  const cgroups = [...inner, ...leaves.map((l) => l.path)].filter(
    (p) => p === rootRel || p.startsWith(`${rootRel}/`),
  ).length;
  return {
    base,
    root: rootAbs,
    cgroupVersion: v2 ? 2 : 1,
    containers: leaves.flatMap((l) => (l.container ? [l.container] : [])),
    cgroups,
  };
}
