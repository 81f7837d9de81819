import type { Dataset } from '../import/types.js';
import type { SeriesIdentity } from './entities.js';

/**
 * Instances of a container: the cgroups that ran under one namespace/pod/container name. A
 * restart makes a new one (a new container ID, a new cgroup); two clusters, or a standalone
 * cAdvisor scraped through a PodMonitor, put several that run side by side under one name.
 */

/** Prometheus' default lookback delta: how long a sample stays the series' current value. */
export const LOOKBACK_MS = 5 * 60_000;

/** The instance a series belongs to: its container ID, else its cgroup; '' when it names none. */
export function instanceOf(m: SeriesIdentity): string {
  return m.containerId ?? m.cgroup ?? '';
}

export function firstTime(m: SeriesIdentity, datasets: Dataset[]): number {
  const table = datasets[m.dataset].table;
  const r = table.rowStart[m.series];
  return r < table.rowStart[m.series + 1] ? table.t[r] : Number.POSITIVE_INFINITY;
}

function lastTime(m: SeriesIdentity, datasets: Dataset[]): number {
  const table = datasets[m.dataset].table;
  const r = table.rowStart[m.series + 1] - 1;
  return r >= table.rowStart[m.series] ? table.t[r] : Number.NEGATIVE_INFINITY;
}

/** When each instance of a container (container ID, else cgroup) was first seen, over all inputs. */
export function instanceStarts(
  members: SeriesIdentity[],
  datasets: Dataset[],
): (m: SeriesIdentity) => number {
  const start = new Map<string, number>();
  for (const m of members) {
    const k = instanceOf(m);
    start.set(k, Math.min(start.get(k) ?? Number.POSITIVE_INFINITY, firstTime(m, datasets)));
  }
  // A series without samples sorts like one seen at the very start, not as the newest.
  return (m) => {
    const t = start.get(instanceOf(m))!;
    return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
  };
}

/** Labels that tell apart the places one name can run in at once, most telling first. */
const WHERE = ['cluster', 'prometheus_cluster', 'k8s_cluster', 'node', 'kubernetes_io_hostname', 'instance'];

/**
 * The series of one name, as one group per container that ran under it. Instances follow each
 * other after restarts: the old one stops before the new one starts, but for Prometheus' lookback
 * (its series repeats for up to 5 minutes). Instances that overlap by more ran side by side: each
 * run of successive instances becomes a container of its own, named `name [cluster=eu-1]` by the
 * first label that tells them apart (else `[id 3b1c5e7f9a2b]`). Instances of different pods (pod
 * UIDs) never follow each other: a pod deleted and created again under its name (a StatefulSet),
 * or a capture and an export of different incidents, stay apart too (`[pod 4d0debc5]`). Series
 * naming no instance (a kube-state-metrics limit) go with the container whose labels or pod they
 * share, else with the first.
 */
export function splitConcurrent(group: SeriesIdentity[], datasets: Dataset[]): SeriesIdentity[][] {
  type Span = { start: number; end: number; podUid?: string; members: SeriesIdentity[] };
  const spans = new Map<string, Span>();
  const loose: SeriesIdentity[] = [];
  for (const m of group) {
    const k = instanceOf(m);
    if (k === '') {
      loose.push(m);
      continue;
    }
    const s: Span = spans.get(k) ?? {
      start: Number.POSITIVE_INFINITY,
      end: Number.NEGATIVE_INFINITY,
      members: [],
    };
    s.podUid ??= m.podUid;
    s.start = Math.min(s.start, firstTime(m, datasets));
    s.end = Math.max(s.end, lastTime(m, datasets));
    s.members.push(m);
    spans.set(k, s);
  }
  if (spans.size < 2) return [group];
  const chains: Span[] = [];
  for (const s of [...spans.values()].sort((a, b) => a.start - b.start)) {
    const chain = chains.find(
      (c) => s.start >= c.end - LOOKBACK_MS && (!c.podUid || !s.podUid || c.podUid === s.podUid),
    );
    if (chain) {
      chain.end = Math.max(chain.end, s.end);
      chain.podUid ??= s.podUid;
      chain.members.push(...s.members);
    } else chains.push({ ...s, members: [...s.members] });
  }
  if (chains.length === 1) return [group];
  const labelsOf = (m: SeriesIdentity) => datasets[m.dataset].hints[m.series]?.labels ?? {};
  const where = WHERE.find((l) => {
    const values = chains.map((c) => labelsOf(c.members[0])[l]);
    return values.every((v) => v !== undefined) && new Set(values).size === chains.length;
  });
  const byPod = new Set(chains.map((c) => c.podUid)).size === chains.length;
  for (const m of loose) {
    const v = where ? labelsOf(m)[where] : undefined;
    const home =
      chains.find((c) => v !== undefined && labelsOf(c.members[0])[where!] === v) ??
      chains.find((c) => byPod && m.podUid !== undefined && c.podUid === m.podUid) ??
      chains[0];
    home.members.push(m);
  }
  return chains.map((c) => {
    const first = c.members[0];
    const id = first.containerId ?? instanceOf(first).split('/').at(-1)!;
    const tag = where
      ? `${where}=${labelsOf(first)[where]}`
      : byPod && c.podUid
        ? `pod ${c.podUid.slice(0, 8)}`
        : `id ${id.slice(0, 12)}`;
    const key = `${first.key} [${tag}]`;
    return c.members.map((m) => ({ ...m, key }));
  });
}
