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
  return a;
}
