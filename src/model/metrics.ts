/**
 * The canonical columns of the memory frame, with what each means and how it is obtained from
 * cgroup files and from cAdvisor metrics. `memlens explain METRIC`, the report glossary and the
 * derivation code all read this one table; there is no second copy of these sentences.
 */
export type Unit = 'bytes' | 'count' | 'seconds';
export type Kind = 'gauge' | 'counter';

export interface MetricDef {
  /** Column name in the frame. */
  name: string;
  title: string;
  unit: Unit;
  kind: Kind;
  /** What the number means, in one or two sentences. */
  description: string;
  /** How memlens derives it from a cgroup v1 capture (files and memory.stat keys). */
  v1?: string;
  /** How memlens derives it from a cgroup v2 capture. */
  v2?: string;
  /** The cAdvisor / kube-state-metrics series it comes from in a Prometheus export. */
  prometheus?: string;
}

export const METRICS = [
  {
    name: 'usage',
    title: 'Usage',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'All memory charged to the cgroup, file cache included. The kernel reclaims the cache under pressure, so usage near the limit is not by itself a problem.',
    v1: 'memory.usage_in_bytes (a "fuzz" value; memory.stat total_rss + total_cache is exact)',
    v2: 'memory.current',
    prometheus: 'container_memory_usage_bytes',
  },
  {
    name: 'workingSet',
    title: 'Working set',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'Usage minus the inactive file cache: what the kubelet, eviction and `kubectl top` watch. It still counts active file cache and all tmpfs/shmem.',
    v1: 'max(0, memory.usage_in_bytes − memory.stat total_inactive_file); usage when the key is missing',
    v2: 'max(0, memory.current − memory.stat inactive_file); usage when the key is missing',
    prometheus: 'container_memory_working_set_bytes',
  },
  {
    name: 'rss',
    title: 'Anonymous (RSS)',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'Anonymous memory (heap, stacks, swap cache): not reclaimable without swap. tmpfs is not in it.',
    v1: 'memory.stat total_rss (rss when memory.use_hierarchy is 0)',
    v2: 'memory.stat anon',
    prometheus: 'container_memory_rss',
  },
  {
    name: 'cache',
    title: 'Page cache',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'File-backed memory including tmpfs/shmem. Only the part on the inactive file list is cheap to reclaim.',
    v1: 'memory.stat total_cache',
    v2: 'memory.stat file',
    prometheus: 'container_memory_cache',
  },
  {
    name: 'activeFile',
    title: 'Active file cache',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'File cache read more than once. Reclaimable after demotion, but counted in the working set (kubernetes/kubernetes#43916).',
    v1: 'memory.stat total_active_file',
    v2: 'memory.stat active_file',
    prometheus:
      'container_memory_total_active_file_bytes; else estimated as cache − (usage − working set), which holds shmem too',
  },
  {
    name: 'inactiveFile',
    title: 'Inactive file cache',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'File cache on the inactive list: reclaimed first, and the only part the working set leaves out.',
    v1: 'memory.stat total_inactive_file',
    v2: 'memory.stat inactive_file',
    prometheus: 'container_memory_total_inactive_file_bytes; else estimated as usage − working set',
  },
  {
    name: 'shmem',
    title: 'Shared memory / tmpfs',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'tmpfs, /dev/shm and emptyDir {medium: Memory}: counted as cache but kept on the anon lists, always inside the working set, not reclaimable without swap.',
    v1: 'memory.stat total_shmem',
    v2: 'memory.stat shmem',
    prometheus: 'not exported by cAdvisor',
  },
  {
    name: 'activeAnon',
    title: 'Active anon',
    unit: 'bytes',
    kind: 'gauge',
    description: 'Anonymous and shmem pages on the active list.',
    v1: 'memory.stat total_active_anon',
    v2: 'memory.stat active_anon',
  },
  {
    name: 'inactiveAnon',
    title: 'Inactive anon',
    unit: 'bytes',
    kind: 'gauge',
    description: 'Anonymous and shmem pages on the inactive list.',
    v1: 'memory.stat total_inactive_anon',
    v2: 'memory.stat inactive_anon',
  },
  {
    name: 'unevictable',
    title: 'Unevictable',
    unit: 'bytes',
    kind: 'gauge',
    description: 'Pages that cannot be reclaimed at all (mlocked and similar).',
    v1: 'memory.stat total_unevictable',
    v2: 'memory.stat unevictable',
  },
  {
    name: 'mappedFile',
    title: 'Mapped file',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'File cache mapped into processes (mmap), tmpfs included: harder to reclaim than unmapped cache.',
    v1: 'memory.stat total_mapped_file',
    v2: 'memory.stat file_mapped',
    prometheus: 'container_memory_mapped_file',
  },
  {
    name: 'dirty',
    title: 'Dirty file cache',
    unit: 'bytes',
    kind: 'gauge',
    description: 'File cache waiting to be written back: cannot be dropped until it is written.',
    v1: 'memory.stat total_dirty',
    v2: 'memory.stat file_dirty',
    prometheus: 'container_memory_file_dirty_bytes (cAdvisor ≥ 0.60)',
  },
  {
    name: 'writeback',
    title: 'Writeback',
    unit: 'bytes',
    kind: 'gauge',
    description: 'File cache being written to disk right now.',
    v1: 'memory.stat total_writeback',
    v2: 'memory.stat file_writeback',
    prometheus: 'container_memory_file_writeback_bytes (cAdvisor ≥ 0.60)',
  },
  {
    name: 'swap',
    title: 'Swap',
    unit: 'bytes',
    kind: 'gauge',
    description: 'Memory of the cgroup swapped out.',
    v1: 'memory.stat total_swap (only with swap accounting)',
    v2: 'memory.swap.current',
    prometheus: 'container_memory_swap',
  },
  {
    name: 'kernel',
    title: 'Kernel memory',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'Kernel memory charged to the cgroup (slab, stacks, page tables, sockets): not reclaimable by page reclaim, except reclaimable slab.',
    v1: 'memory.kmem.usage_in_bytes',
    v2: 'memory.stat kernel; on older kernels kernel_stack + pagetables + percpu + sock + slab',
    prometheus: 'container_memory_kernel_usage (0 on cgroup v2)',
  },
  {
    name: 'slabReclaimable',
    title: 'Reclaimable slab',
    unit: 'bytes',
    kind: 'gauge',
    description: 'Kernel caches (dentries, inodes) the kernel can free under pressure.',
    v1: 'memory.stat total_slab_reclaimable (newer kernels)',
    v2: 'memory.stat slab_reclaimable',
  },
  {
    name: 'limit',
    title: 'Limit',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'The hard memory limit. Reaching it starts reclaim; if reclaim fails the OOM killer runs in the cgroup.',
    v1: 'memory.limit_in_bytes (values ≥ 2^62 mean unlimited)',
    v2: 'memory.max ("max" means unlimited)',
    prometheus:
      'container_spec_memory_limit_bytes (0 means unlimited) or kube_pod_container_resource_limits{resource="memory"}',
  },
  {
    name: 'high',
    title: 'High (throttle) limit',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'cgroup v2 throttle boundary: above it the cgroup is slowed and reclaimed, never OOM-killed.',
    v2: 'memory.high ("max" means none)',
  },
  {
    name: 'maxUsage',
    title: 'Peak usage (kernel)',
    unit: 'bytes',
    kind: 'gauge',
    description: 'The highest usage the kernel recorded since the cgroup was created or the counter reset.',
    v1: 'memory.max_usage_in_bytes',
    v2: 'memory.peak (kernel ≥ 5.19)',
    prometheus: 'container_memory_max_usage_bytes',
  },
  {
    name: 'failcnt',
    title: 'Limit hits (failcnt)',
    unit: 'count',
    kind: 'counter',
    description:
      'How often usage hit the limit and forced reclaim. Rising failcnt without OOM kills means reclaim succeeded.',
    v1: 'memory.failcnt',
    v2: 'not kept (cAdvisor reports 0); see eventsMax',
    prometheus: 'container_memory_failcnt',
  },
  {
    name: 'eventsMax',
    title: 'Limit events (max)',
    unit: 'count',
    kind: 'counter',
    description: 'cgroup v2: times usage was about to go over memory.max and reclaim ran.',
    v2: 'memory.events max',
    prometheus: 'container_memory_events_max_total (cAdvisor ≥ 0.57)',
  },
  {
    name: 'eventsHigh',
    title: 'Throttle events (high)',
    unit: 'count',
    kind: 'counter',
    description: 'cgroup v2: times the cgroup was throttled above memory.high.',
    v2: 'memory.events high',
    prometheus: 'container_memory_events_high_total (cAdvisor ≥ 0.57)',
  },
  {
    name: 'eventsOom',
    title: 'OOM events',
    unit: 'count',
    kind: 'counter',
    description:
      'cgroup v2: times an allocation was about to fail at the limit and the OOM killer was considered.',
    v2: 'memory.events oom',
  },
  {
    name: 'oomKills',
    title: 'OOM kills',
    unit: 'count',
    kind: 'counter',
    description:
      'Processes of the cgroup killed by the OOM killer, as a cumulative count over the window (counter resets are bridged).',
    v1: 'memory.oom_control oom_kill',
    v2: 'memory.events oom_kill',
    prometheus: 'not exported by cAdvisor (see oomEvents, restarts, lastTerminatedOom)',
  },
  {
    name: 'oomEvents',
    title: 'OOM events (cAdvisor)',
    unit: 'count',
    kind: 'counter',
    description:
      'OOM kills cAdvisor read from the kernel log and pinned on the container. A rise is a kill; a flat line proves nothing: the count is lost when the container is replaced (google/cadvisor#3015).',
    prometheus: 'container_oom_events_total',
  },
  {
    name: 'restarts',
    title: 'Restarts',
    unit: 'count',
    kind: 'counter',
    description: 'Times Kubernetes restarted the container, whatever the reason.',
    prometheus: 'kube_pod_container_status_restarts_total (kube-state-metrics)',
  },
  {
    name: 'lastTerminatedOom',
    title: 'Last termination was OOMKilled',
    unit: 'count',
    kind: 'gauge',
    description:
      "1 while Kubernetes reports the container's last termination reason as OOMKilled, 0 while it reports another reason.",
    prometheus: 'kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} (kube-state-metrics)',
  },
  {
    name: 'refaultFile',
    title: 'File refaults',
    unit: 'count',
    kind: 'counter',
    description:
      'File pages read back soon after being reclaimed: high rates mean the cache is thrashing, not just full.',
    v1: 'memory.stat total_workingset_refault_file (kernel ≥ 5.9)',
    v2: 'memory.stat workingset_refault_file',
    prometheus: 'container_memory_workingset_refault_file_total (cAdvisor ≥ 0.60)',
  },
  {
    name: 'pgmajfault',
    title: 'Major faults',
    unit: 'count',
    kind: 'counter',
    description: 'Page faults that needed disk I/O.',
    v1: 'memory.stat total_pgmajfault',
    v2: 'memory.stat pgmajfault',
  },
  {
    name: 'statUsage',
    title: 'Usage from memory.stat',
    unit: 'bytes',
    kind: 'gauge',
    description: 'The exact v1 usage the kernel documentation recommends over the fuzzy usage_in_bytes.',
    v1: 'memory.stat total_rss + total_cache (+ total_swap when memsw is accounted)',
  },
  {
    name: 'psiSome',
    title: 'Memory pressure (some)',
    unit: 'seconds',
    kind: 'counter',
    description: 'Cumulative time at least one task of the cgroup stalled waiting for memory.',
    v2: 'memory.pressure some total (µs ÷ 10^6)',
    prometheus: 'container_pressure_memory_waiting_seconds_total',
  },
  {
    name: 'psiFull',
    title: 'Memory pressure (full)',
    unit: 'seconds',
    kind: 'counter',
    description: 'Cumulative time all tasks of the cgroup stalled waiting for memory.',
    v2: 'memory.pressure full total (µs ÷ 10^6)',
    prometheus: 'container_pressure_memory_stalled_seconds_total',
  },
  {
    name: 'request',
    title: 'Request',
    unit: 'bytes',
    kind: 'gauge',
    description:
      'The memory the scheduler reserved for the container; usage above it makes the pod a candidate for eviction under node pressure.',
    prometheus: 'kube_pod_container_resource_requests{resource="memory"} (kube-state-metrics)',
  },
] as const satisfies readonly MetricDef[];

export type MetricName = (typeof METRICS)[number]['name'];
export const METRIC_NAMES: readonly MetricName[] = METRICS.map((m) => m.name);
/** The table seen through the common interface (optional fields readable on every entry). */
export const METRIC_DEFS: readonly MetricDef[] = METRICS;
const BY_NAME = new Map<string, MetricDef>(METRICS.map((m) => [m.name, m]));

export function metricDef(name: string): MetricDef | undefined {
  return BY_NAME.get(name);
}

/**
 * Where a column's values came from, per container:
 * - measured: read as-is from a file or series;
 * - derived: computed exactly from measured values (working set from usage and inactive_file);
 * - estimated: approximated from other series (breakdown from Prometheus data).
 */
export type Provenance = 'measured' | 'derived' | 'estimated';
