/**
 * Names and facts about pods and containers from the cluster (kubectl, crictl, docker), used to
 * turn cgroup paths and IDs into namespace/pod/container. All of it is optional.
 */
export interface PodMeta {
  uid: string;
  namespace: string;
  name: string;
  node?: string;
  qos?: string;
}

export interface ContainerMeta {
  id: string;
  name: string;
  podUid?: string;
  namespace?: string;
  pod?: string;
  /** Spec limit in bytes when the metadata says it (kubectl). */
  limitBytes?: number;
  restartCount?: number;
  /** Reason of the last termination, e.g. "OOMKilled". */
  lastTerminatedReason?: string;
  lastTerminatedAt?: number;
  /** Docker's State.OOMKilled. */
  oomKilled?: boolean;
  state?: string;
}

export interface ClusterMetadata {
  pods: Map<string, PodMeta>;
  containers: Map<string, ContainerMeta>;
  /** Containers known by pod and name when the runtime ID is not given (pod uid + '/' + name). */
  byPodAndName: Map<string, ContainerMeta>;
  /** Pod sandbox IDs: their cgroups hold the pause process, never a workload. */
  sandboxes: Set<string>;
  /** Where each piece came from, for `inspect`. */
  sources: string[];
  node?: string;
  /** OOM kills the kernel log reports, for every cgroup it names. */
  kernelOoms?: KernelOomKill[];
}

/** One OOM kill as the kernel logged it (meta/dmesg-oom.txt of a capture). */
export interface KernelOomKill {
  /** Line in the log file, for messages. */
  line: number;
  /** Seconds since boot, as the log line says; NaN when the line has no timestamp. */
  uptimeSec: number;
  /** Epoch ms, when the capture says when the node booted; NaN otherwise. */
  at: number;
  /** CONSTRAINT_MEMCG: a cgroup hit its limit; CONSTRAINT_NONE: the node ran out of memory. */
  constraint?: string;
  /** The cgroup whose limit was hit (oom_memcg). */
  oomCgroup?: string;
  /** The cgroup of the killed task (task_memcg). */
  taskCgroup?: string;
  task?: string;
  pid?: number;
  totalVmBytes?: number;
  anonRssBytes?: number;
  fileRssBytes?: number;
  shmemRssBytes?: number;
}

export function emptyMetadata(): ClusterMetadata {
  return {
    pods: new Map(),
    containers: new Map(),
    byPodAndName: new Map(),
    sandboxes: new Set(),
    sources: [],
  };
}

/** Merges b into a (a wins on conflicts: it was read first). */
export function mergeMetadata(a: ClusterMetadata, b: ClusterMetadata): ClusterMetadata {
  for (const [k, v] of b.pods) if (!a.pods.has(k)) a.pods.set(k, v);
  for (const [k, v] of b.containers) a.containers.set(k, { ...v, ...a.containers.get(k) });
  for (const [k, v] of b.byPodAndName) a.byPodAndName.set(k, { ...v, ...a.byPodAndName.get(k) });
  for (const s of b.sandboxes) a.sandboxes.add(s);
  a.sources.push(...b.sources);
  a.node ??= b.node;
  if (b.kernelOoms?.length) a.kernelOoms = uniqueKills([...(a.kernelOoms ?? []), ...b.kernelOoms]);
  return a;
}

/**
 * Each capture of a node carries the same kernel log, so snapshots given as separate inputs
 * repeat every kill. A kill is one line: its time since boot, its pid and its cgroup say which.
 */
function uniqueKills(kills: KernelOomKill[]): KernelOomKill[] {
  const seen = new Set<string>();
  return kills.filter((k) => {
    const id = `${k.uptimeSec}|${k.pid}|${k.taskCgroup}|${k.task}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
