/**
 * What a cgroup path says about the cgroup: which layout (driver) made it, and whether it is the
 * Kubernetes root, a QoS class, a pod, a container or something else. Covers:
 * - cgroupfs driver: kubepods/burstable/pod<uid>/<id>, kubepods/pod<uid>/<id> (guaranteed);
 * - systemd driver: kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/
 *   cri-containerd-<id>.scope (also crio-<id>.scope, docker-<id>.scope);
 * - plain Docker: docker/<id>, system.slice/docker-<id>.scope.
 */
export type Role = 'node' | 'qos' | 'pod' | 'container' | 'sandbox' | 'other';
export type Driver = 'cgroupfs' | 'systemd' | 'docker' | 'unknown';
export type Qos = 'guaranteed' | 'burstable' | 'besteffort';

export interface PathIdentity {
  role: Role;
  driver: Driver;
  qos?: Qos;
  podUid?: string;
  containerId?: string;
  /** containerd, cri-o or docker, when the scope name says so. */
  runtime?: string;
}

const HEX_ID = /^[0-9a-f]{12,64}$/;
const SCOPE = /^(cri-containerd|crio|docker|containerd)-([0-9a-f]{12,64})\.scope$/;
const CONMON = /^crio-conmon-[0-9a-f]{12,64}\.scope$/;
const POD_DIR = /^pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})$/;
const POD_SLICE = /^kubepods(?:-(besteffort|burstable))?-pod([0-9a-f_]{36})\.slice$/;
const QOS_SLICE = /^kubepods-(besteffort|burstable)\.slice$/;

const RUNTIME: Record<string, string> = {
  'cri-containerd': 'containerd',
  containerd: 'containerd',
  crio: 'cri-o',
  docker: 'docker',
};

/** Parses a cgroup path ('/kubepods/burstable/pod…/abc…', with or without a leading '/'). */
export function parsePath(path: string): PathIdentity {
  const parts = path.split('/').filter(Boolean);
  // Kubernetes: find the kubepods root anywhere in the path (captures may keep a prefix).
  const kIdx = parts.findIndex((p) => p === 'kubepods' || p === 'kubepods.slice');
  if (kIdx >= 0)
    return parseKube(parts.slice(kIdx), parts[kIdx] === 'kubepods.slice' ? 'systemd' : 'cgroupfs');
  const dIdx = parts.lastIndexOf('docker');
  if (dIdx >= 0) {
    const rest = parts.slice(dIdx + 1);
    if (rest.length === 0) return { role: 'node', driver: 'docker' };
    if (rest.length === 1 && HEX_ID.test(rest[0])) {
      return { role: 'container', driver: 'docker', containerId: rest[0], runtime: 'docker' };
    }
    return { role: 'other', driver: 'docker' };
  }
  const last = parts.at(-1) ?? '';
  const scope = SCOPE.exec(last);
  if (scope && parts.at(-2) === 'system.slice') {
    return { role: 'container', driver: 'docker', containerId: scope[2], runtime: RUNTIME[scope[1]] };
  }
  return { role: parts.length === 0 ? 'node' : 'other', driver: 'unknown' };
}

function parseKube(parts: string[], driver: Driver): PathIdentity {
  // parts[0] is kubepods / kubepods.slice
  if (parts.length === 1) return { role: 'node', driver };
  let i = 1;
  let qos: Qos | undefined;
  const q = driver === 'systemd' ? QOS_SLICE.exec(parts[1]) : /^(besteffort|burstable)$/.exec(parts[1]);
  if (q) {
    qos = q[1] as Qos;
    i = 2;
    if (parts.length === 2) return { role: 'qos', driver, qos };
  }
  let podUid: string | undefined;
  if (driver === 'systemd') {
    const m = POD_SLICE.exec(parts[i] ?? '');
    if (m) podUid = m[2].replace(/_/g, '-');
  } else {
    const m = POD_DIR.exec(parts[i] ?? '');
    if (m) podUid = m[1].replace(/_/g, '-');
  }
  if (!podUid) return { role: 'other', driver, ...(qos ? { qos } : {}) };
  qos ??= 'guaranteed';
  if (parts.length === i + 1) return { role: 'pod', driver, qos, podUid };
  const name = parts[i + 1];
  if (parts.length === i + 2) {
    const s = SCOPE.exec(name);
    if (s) return { role: 'container', driver, qos, podUid, containerId: s[2], runtime: RUNTIME[s[1]] };
    if (HEX_ID.test(name)) return { role: 'container', driver, qos, podUid, containerId: name };
    if (CONMON.test(name)) return { role: 'other', driver, qos, podUid };
  }
  return { role: 'other', driver, qos, podUid };
}

/** The readable, stable key of a container: namespace/pod/container, else its cgroup path. */
export function containerKey(
  names: { namespace?: string; pod?: string; container?: string },
  cgroup: string,
): string {
  if (names.namespace && names.pod && names.container)
    return `${names.namespace}/${names.pod}/${names.container}`;
  return cgroup;
}
