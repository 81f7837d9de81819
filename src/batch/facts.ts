import type { Dataset } from '../import/types.js';
import type { MemModel } from '../model/model.js';
import type { InputFacts } from './types.js';

// Labels that name the Kubernetes node of a metrics series. `instance` is left out on purpose: it
// is usually the scrape target's address (10.0.3.7:10250), which says nothing a capture can match.
const NODE_LABELS = ['node', 'kubernetes_io_hostname', 'nodename'];
// A cluster-wide export can name every node; the grouping needs names, not an unbounded list.
const MAX_NODES = 1000;
// Enough to tell whether two inputs hold the same containers; an export of a whole cluster is cut.
const MAX_CONTAINERS = 5000;

/**
 * The grouping facts of one imported input. `model` is that input analysed alone: for captures,
 * the nodes of the pods actually present come from it (cluster-wide kubectl output in the
 * capture names every node of the cluster, which must not make unrelated inputs join).
 */
export function factsOf(ds: Dataset, model: MemModel, file: { size: number; mtimeMs: number }): InputFacts {
  const nodes = new Set<string>();
  if (ds.node) nodes.add(ds.node);
  if (ds.kind === 'metrics') {
    for (const h of ds.hints) {
      for (const l of NODE_LABELS) {
        const v = h.labels?.[l];
        if (v && nodes.size < MAX_NODES) nodes.add(v);
      }
    }
  } else {
    for (const e of model.entities) {
      if (e.role !== 'container' || !e.podUid) continue;
      const n = model.metadata.pods.get(e.podUid)?.node;
      if (n) nodes.add(n);
    }
  }
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const e of model.entities) {
    if (e.role !== 'container') continue;
    for (const id of e.containerIds) if (ids.size < MAX_CONTAINERS) ids.add(id);
    if (e.namespace && e.pod && e.container && names.size < MAX_CONTAINERS) {
      names.add(`${e.namespace}/${e.pod}/${e.container}`);
    }
  }
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const t = ds.table.t;
  for (let i = 0; i < ds.table.length; i++) {
    if (t[i] < start) start = t[i];
    if (t[i] > end) end = t[i];
  }
  const snapshots = ds.input.details.snapshots;
  const variant = ds.input.details.variant;
  return {
    path: ds.input.path,
    format: ds.input.format,
    kind: ds.kind,
    nodes: [...nodes].sort(),
    containerIds: [...ids].sort(),
    containerNames: [...names].sort(),
    start: Number.isFinite(start) ? start : null,
    end: Number.isFinite(end) ? end : null,
    snapshots: ds.kind === 'cgroup' && typeof snapshots === 'number' ? snapshots : null,
    ...(ds.kind === 'metrics' ? { variant: typeof variant === 'string' ? variant : null } : {}),
    size: file.size,
    mtimeMs: file.mtimeMs,
  };
}
