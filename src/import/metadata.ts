import type { ClusterMetadata, ContainerMeta } from '../model/metadata.js';
import { emptyMetadata } from '../model/metadata.js';
import { parseSize } from '../util/bytes.js';
import { parseRfc3339 } from '../util/time.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON written by several external tools, read field by field with checks
type Json = Record<string, any>;

/** Strips "containerd://", "cri-o://", "docker://" from a status containerID. */
function bareId(id: unknown): string | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  const i = id.indexOf('://');
  return i >= 0 ? id.slice(i + 3) : id;
}

/**
 * Recognises and reads `kubectl get pods -A -o json`, `crictl ps -a -o json`, `crictl pods -o json`
 * and `docker inspect` output. Returns null when the JSON is none of them.
 */
export function parseMetadataJson(doc: unknown, source: string): ClusterMetadata | null {
  if (Array.isArray(doc)) return isDockerInspect(doc) ? fromDockerInspect(doc, source) : null;
  if (!doc || typeof doc !== 'object') return null;
  const d = doc as Json;
  if (Array.isArray(d.items) && (d.kind === 'List' || d.kind === 'PodList' || d.items[0]?.kind === 'Pod')) {
    return fromKubectl(d.items, source);
  }
  if (
    Array.isArray(d.containers) &&
    d.containers.every((c: Json) => typeof c?.id === 'string' && c.podSandboxId !== undefined)
  ) {
    return fromCrictlPs(d.containers, source);
  }
  if (Array.isArray(d.items) && d.items.every((p: Json) => typeof p?.id === 'string' && p.metadata?.uid)) {
    return fromCrictlPods(d.items, source);
  }
  return null;
}

function fromKubectl(items: Json[], source: string): ClusterMetadata {
  const md = emptyMetadata();
  md.sources.push(`${source} (kubectl pods, ${items.length} pods)`);
  for (const p of items) {
    const uid = p?.metadata?.uid;
    if (typeof uid !== 'string') continue;
    const namespace = String(p.metadata.namespace ?? '');
    const name = String(p.metadata.name ?? '');
    md.pods.set(uid, {
      uid,
      namespace,
      name,
      node: p.spec?.nodeName,
      qos: p.status?.qosClass?.toLowerCase(),
    });
    if (p.spec?.nodeName) md.node ??= p.spec.nodeName;
    const limits = new Map<string, number>();
    for (const c of [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])]) {
      const lim = c?.resources?.limits?.memory;
      if (lim !== undefined) limits.set(c.name, parseSize(String(lim)));
    }
    for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
      const term = s?.lastState?.terminated ?? s?.state?.terminated;
      const meta: ContainerMeta = {
        id: bareId(s?.containerID) ?? '',
        name: String(s?.name ?? ''),
        podUid: uid,
        namespace,
        pod: name,
        restartCount: typeof s?.restartCount === 'number' ? s.restartCount : undefined,
        lastTerminatedReason: term?.reason,
        lastTerminatedAt: term?.finishedAt ? parseRfc3339(term.finishedAt) : undefined,
        limitBytes: limits.get(s?.name),
      };
      md.byPodAndName.set(`${uid}/${meta.name}`, meta);
      if (meta.id) md.containers.set(meta.id, meta);
      // The previous instance (before a restart) is often the one that was OOM-killed.
      const prev = bareId(s?.lastState?.terminated?.containerID);
      if (prev && prev !== meta.id) md.containers.set(prev, { ...meta, id: prev });
    }
  }
  return md;
}

function fromCrictlPs(containers: Json[], source: string): ClusterMetadata {
  const md = emptyMetadata();
  md.sources.push(`${source} (crictl ps, ${containers.length} containers)`);
  for (const c of containers) {
    const l = c.labels ?? {};
    const meta: ContainerMeta = {
      id: c.id,
      name: String(l['io.kubernetes.container.name'] ?? c.metadata?.name ?? ''),
      podUid: l['io.kubernetes.pod.uid'],
      namespace: l['io.kubernetes.pod.namespace'],
      pod: l['io.kubernetes.pod.name'],
      state: c.state,
    };
    md.containers.set(c.id, meta);
    if (meta.podUid && meta.namespace && meta.pod && !md.pods.has(meta.podUid)) {
      md.pods.set(meta.podUid, { uid: meta.podUid, namespace: meta.namespace, name: meta.pod });
    }
    if (c.podSandboxId) md.sandboxes.add(c.podSandboxId);
  }
  return md;
}

function fromCrictlPods(items: Json[], source: string): ClusterMetadata {
  const md = emptyMetadata();
  md.sources.push(`${source} (crictl pods, ${items.length} sandboxes)`);
  for (const p of items) {
    md.sandboxes.add(p.id);
    const m = p.metadata;
    if (m?.uid && !md.pods.has(m.uid))
      md.pods.set(m.uid, { uid: m.uid, namespace: String(m.namespace ?? ''), name: String(m.name ?? '') });
  }
  return md;
}

function isDockerInspect(a: unknown[]): boolean {
  return (
    a.length > 0 &&
    a.every((c) => typeof (c as Json)?.Id === 'string' && typeof (c as Json)?.State === 'object')
  );
}

function fromDockerInspect(items: Json[], source: string): ClusterMetadata {
  const md = emptyMetadata();
  md.sources.push(`${source} (docker inspect, ${items.length} containers)`);
  for (const c of items) {
    const mem = c.HostConfig?.Memory;
    md.containers.set(c.Id, {
      id: c.Id,
      name: String(c.Name ?? '').replace(/^\//, ''),
      oomKilled: c.State?.OOMKilled === true,
      restartCount: typeof c.RestartCount === 'number' ? c.RestartCount : undefined,
      limitBytes: typeof mem === 'number' && mem > 0 ? mem : undefined,
      state: c.State?.Status,
    });
  }
  return md;
}
