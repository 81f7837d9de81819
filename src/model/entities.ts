import type { Dataset } from '../import/types.js';
import type { Driver, Role } from './identity.js';
import { containerKey, parsePath } from './identity.js';
import type { ClusterMetadata, ContainerMeta } from './metadata.js';

const UID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What one series of one dataset is, before series are grouped into entities. */
export interface SeriesIdentity {
  dataset: number;
  series: number;
  role: Role;
  key: string;
  namespace?: string;
  pod?: string;
  container?: string;
  podUid?: string;
  containerId?: string;
  cgroup?: string;
  qos?: string;
  node?: string;
  driver?: Driver;
  runtime?: string;
  cgroupVersion?: 1 | 2;
  meta?: ContainerMeta;
}

/**
 * Names every series of every dataset. Names come, in order, from the series' own labels
 * (a Prometheus export), from cluster metadata (kubectl/crictl/docker), and from other datasets
 * that name the same container ID or pod UID — that is how a capture and an export of the same
 * node join.
 */
export function identify(datasets: Dataset[], md: ClusterMetadata): SeriesIdentity[] {
  const out: SeriesIdentity[] = [];
  datasets.forEach((ds, d) => {
    for (let s = 0; s < ds.table.series.length; s++) out.push(identifyOne(ds, d, s, md));
  });
  // Names learned from any source, by container ID and by pod UID.
  const byId = new Map<string, SeriesIdentity>();
  const byPod = new Map<string, { namespace: string; pod: string }>();
  for (const i of out) {
    if (i.containerId && i.container && i.pod && i.namespace) byId.set(i.containerId, i);
    if (i.podUid && i.pod && i.namespace) byPod.set(i.podUid, { namespace: i.namespace, pod: i.pod });
  }
  for (const i of out) {
    if (i.podUid && !i.pod) Object.assign(i, byPod.get(i.podUid));
    const named = i.containerId ? byId.get(i.containerId) : undefined;
    if (named && !i.container) {
      i.container = named.container;
      i.pod ??= named.pod;
      i.namespace ??= named.namespace;
    }
    i.key = keyOf(i);
  }
  return out;
}

function keyOf(i: SeriesIdentity): string {
  if (i.role === 'container' || i.role === 'sandbox') {
    if (i.driver === 'docker' && i.container && !i.pod) return i.container;
    // Without a cgroup (an aggregated export series), the series' own label set is its identity.
    return containerKey(i, i.cgroup ?? i.containerId ?? i.key);
  }
  if (i.role === 'pod' && i.namespace && i.pod) return `${i.namespace}/${i.pod}`;
  return i.cgroup ?? i.key;
}

function identifyOne(ds: Dataset, d: number, s: number, md: ClusterMetadata): SeriesIdentity {
  const hint = ds.hints[s] ?? {};
  const labels = hint.labels;
  const cgroup = hint.cgroup ?? (labels?.id || undefined);
  const p = cgroup ? parsePath(cgroup) : undefined;
  const id: SeriesIdentity = {
    dataset: d,
    series: s,
    role: p?.role ?? 'other',
    key: cgroup ?? ds.table.series[s],
    cgroup,
    podUid: p?.podUid,
    containerId: p?.containerId,
    qos: p?.qos,
    driver: p?.driver,
    runtime: p?.runtime,
    cgroupVersion: hint.cgroupVersion,
    node: labels?.node || labels?.instance || ds.node,
  };
  if (labels) {
    // Kubelet labels: container="" is the pod (or node) cgroup, "POD" the dockershim sandbox.
    const ns = labels.namespace || labels.kubernetes_namespace || '';
    const pod = labels.pod || labels.pod_name || labels.kubernetes_pod_name || '';
    const c = labels.container ?? labels.container_name ?? '';
    if (ns) id.namespace = ns;
    if (pod) id.pod = pod;
    if (c === 'POD') id.role = 'sandbox';
    else if (c) {
      id.container = c;
      id.role = 'container';
    } else if (p?.role === 'container' && pod) {
      // containerd/CRI-O: the pause container has pod labels but no container name.
      id.role = 'sandbox';
    } else if (pod) id.role = 'pod';
    else if (!cgroup || cgroup === '/') id.role = 'node';
    // kube-state-metrics names the pod by UID; it joins KSM series to cgroup ones.
    if (!id.podUid && UID_RE.test(labels.uid ?? '')) id.podUid = labels.uid;
    // Standalone cAdvisor on Docker: the container's name is the `name` label.
    if (id.driver === 'docker' && !id.container && !pod && labels.name) id.container = labels.name;
  }
  if (id.containerId) {
    if (md.sandboxes.has(id.containerId)) id.role = 'sandbox';
    const m = md.containers.get(id.containerId);
    if (m) {
      id.meta = m;
      id.container ??= m.name || undefined;
      id.pod ??= m.pod;
      id.namespace ??= m.namespace;
      id.podUid ??= m.podUid;
    }
  }
  if (id.podUid) {
    const pm = md.pods.get(id.podUid);
    if (pm) {
      id.pod ??= pm.name;
      id.namespace ??= pm.namespace;
      id.node ??= pm.node;
      id.qos ??= pm.qos;
    }
    if (!id.meta && id.container) id.meta = md.byPodAndName.get(`${id.podUid}/${id.container}`);
  }
  // Docker hosts: the container's name is its identity (no namespace or pod).
  if (id.driver === 'docker' && id.meta?.name && !id.pod) id.container = id.meta.name;
  return id;
}
