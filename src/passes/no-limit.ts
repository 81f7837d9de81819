import type { Entity, MemModel } from '../model/model.js';
import { seriesOf } from '../model/model.js';
import { lastKnown, maxKnown } from '../util/series.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

const BOUND_WORDS: Record<string, string> = {
  pod: "pod's",
  qos: 'QoS class’s',
  node: 'node’s allocatable (kubepods)',
};

/**
 * A container without a memory limit can take the node's memory. Its own cgroup never runs the
 * OOM killer; the pod's, the QoS class's or the node's does, and may pick any of their processes.
 */
export default definePass({
  id: 'no-limit',
  title: 'Containers without a memory limit',
  description:
    'Without a limit a leak or a burst in one container is paid by every container on the node: the kubelet evicts pods by priority and usage, and the node-wide OOM killer picks by badness, not by blame. ' +
    'With a limit, the container that grows is the one that is killed.',
  checks:
    'Flags each container whose limit is unlimited (v1 ≥ 2^62, v2 "max", cAdvisor 0) with its peaks, the nearest limit above it (pod, QoS class, node allocatable) and the other containers on the node that would share the damage. ' +
    'Warning, or info when the pod’s own limit bounds it.',
  limitations: [
    'A container whose limit is unknown (no limit series at all) is not flagged: unknown is not unlimited.',
    'The other containers are those in the same inputs on the same node; a capture of part of the node sees part of it.',
  ],
  requires: ['limit'],
  options: {},
  run({ containers, model }) {
    const out: FindingDraft[] = [];
    const unlimited = containers.filter((s) => lastKnown(s.col('limit')) === Number.POSITIVE_INFINITY);
    if (unlimited.length === 0) return out;
    // Once per run: peak working sets by node, and cgroups by path (a node can hold hundreds).
    const peakWs = new Map<Entity, number>();
    const byNode = new Map<string | undefined, { count: number; ws: number }>();
    for (const e of model.entities) {
      if (e.role !== 'container' || e.rowEnd <= e.rowStart) continue;
      const v = maxKnown(seriesOf(model, e).col('workingSet'));
      peakWs.set(e, Number.isNaN(v) ? 0 : v);
      const n = byNode.get(e.node) ?? { count: 0, ws: 0 };
      n.count++;
      n.ws += Number.isNaN(v) ? 0 : v;
      byNode.set(e.node, n);
    }
    const byCgroup = new Map<string, Entity>();
    for (const x of model.entities) for (const c of x.cgroups) byCgroup.set(c, x);
    for (const s of unlimited) {
      const bound = boundOf(model, byCgroup, s.entity);
      const node = byNode.get(s.entity.node) ?? { count: 1, ws: 0 };
      const others = node.count - 1;
      const otherWs = node.ws - (peakWs.get(s.entity) ?? 0);
      const peak = (c: 'usage' | 'workingSet' | 'rss') => {
        const v = maxKnown(s.col(c));
        return Number.isNaN(v) ? undefined : v;
      };
      out.push({
        code: 'no-limit/unlimited',
        severity: bound?.role === 'pod' ? 'info' : 'warning',
        entity: s.entity,
        evidence: {
          peakUsageBytes: peak('usage'),
          peakWorkingSetBytes: peak('workingSet'),
          peakAnonBytes: peak('rss'),
          boundBytes: bound?.limit,
          bound: bound ? (BOUND_WORDS[bound.role] ?? bound.role) : undefined,
          otherContainers: others,
          otherWorkingSetBytes: others ? otherWs : undefined,
        },
        from: s.t[0],
        to: s.t[s.length - 1],
      });
    }
    return out;
  },
});

/** The nearest ancestor cgroup in the data with a finite limit. */
function boundOf(
  model: MemModel,
  byCgroup: Map<string, Entity>,
  e: Entity,
): { role: string; limit: number } | undefined {
  if (!e.cgroup) {
    // Metrics data without cgroup paths: the pod is all we can know.
    const pod = e.parent !== undefined ? model.entities[e.parent] : undefined;
    const l = pod ? lastKnown(seriesOf(model, pod).col('limit')) : Number.NaN;
    return pod && Number.isFinite(l) ? { role: 'pod', limit: l } : undefined;
  }
  const parts = e.cgroup.split('/').filter(Boolean);
  for (let n = parts.length - 1; n > 0; n--) {
    const anc = byCgroup.get(`/${parts.slice(0, n).join('/')}`);
    if (!anc) continue;
    const l = lastKnown(seriesOf(model, anc).col('limit'));
    if (Number.isFinite(l)) return { role: anc.role, limit: l };
  }
  return undefined;
}
