import * as aq from 'arquero';
import type { Dataset } from '../import/types.js';
import { bridgeResets } from './counters.js';
import type { Derived } from './derive-cgroup.js';
import { deriveCgroup } from './derive-cgroup.js';
import { deriveMetrics } from './derive-metrics.js';
import type { SeriesIdentity } from './entities.js';
import { identify } from './entities.js';
import type { ClusterMetadata } from './metadata.js';
import { emptyMetadata, mergeMetadata } from './metadata.js';
import type { MetricName } from './metrics.js';
import { METRICS } from './metrics.js';
import type { Entity, MemModel, SeriesQuality } from './model.js';

export interface BuildOptions {
  /** Keep only samples at or after this time (epoch ms). */
  since?: number;
  /** Keep only samples at or before this time (epoch ms). */
  until?: number;
}

const DERIVE: Record<Dataset['kind'], (ds: Dataset) => Derived> = {
  cgroup: deriveCgroup,
  metrics: deriveMetrics,
};

const COUNTERS = METRICS.filter((m) => m.kind === 'counter').map((m) => m.name as MetricName);

// A pause container uses a few hundred KiB and has no limit of its own; 2 MiB leaves margin and is
// far below any real workload, which loads a runtime and libraries.
const SANDBOX_MAX_USAGE = 2 * 1024 * 1024;

/**
 * Datasets → the canonical model, in numbered phases:
 * 1. derive canonical columns per dataset (cgroup files or metric names → usage, workingSet…);
 * 2. name every series and group series of the same container (restarts, capture + export);
 * 3. gather each entity's rows in time order into one frame (first source wins on equal times);
 * 4. bridge counter resets, record provenance, recognise sandboxes, link containers to pods.
 */
export function buildModel(datasets: Dataset[], opts: BuildOptions = {}): MemModel {
  // 1. Derive
  const derived = datasets.map((ds) => DERIVE[ds.kind](ds));
  const metadata: ClusterMetadata = datasets.reduce(
    (md, ds) => (ds.metadata ? mergeMetadata(md, ds.metadata) : md),
    emptyMetadata(),
  );

  // 2. Identify and group
  const ids = identify(datasets, metadata);
  const groups = new Map<string, SeriesIdentity[]>();
  for (const i of ids) {
    const g = groups.get(i.key);
    if (g) g.push(i);
    else groups.set(i.key, [i]);
  }
  const present = new Set<MetricName>();
  for (const d of derived) for (const k of Object.keys(d.columns) as MetricName[]) present.add(k);
  const columnNames = METRICS.map((m) => m.name as MetricName).filter((n) => present.has(n));

  // 3. Gather rows per entity, sorted by time.
  const since = opts.since ?? Number.NEGATIVE_INFINITY;
  const until = opts.until ?? Number.POSITIVE_INFINITY;
  let total = 0;
  const plans: { members: SeriesIdentity[]; rows: Row[][] }[] = [];
  for (const members of groups.values()) {
    // On equal times the first dataset wins, and within a dataset the most recent instance of the
    // container (a restarted container's old cgroup can linger next to the new one).
    const order = [...members].sort(
      (a, b) => a.dataset - b.dataset || firstTime(b, datasets) - firstTime(a, datasets),
    );
    const rows: Row[] = [];
    order.forEach((m, rank) => {
      const table = datasets[m.dataset].table;
      const instance = m.containerId ?? m.cgroup ?? '';
      for (let r = table.rowStart[m.series]; r < table.rowStart[m.series + 1]; r++) {
        const t = table.t[r];
        if (t >= since && t <= until) rows.push({ d: m.dataset, r, t, rank, instance });
      }
    });
    rows.sort((a, b) => a.t - b.t || a.rank - b.rank);
    // Rows at the same time become one: each column from the first row that has it.
    const grouped: Row[][] = [];
    for (const row of rows) {
      const last = grouped.at(-1);
      if (last && last[0].t === row.t) last.push(row);
      else grouped.push([row]);
    }
    plans.push({ members, rows: grouped });
    total += grouped.length;
  }

  const t = new Float64Array(total);
  const entityCol = new Int32Array(total);
  const columns: Partial<Record<MetricName, Float64Array>> = {};
  for (const name of columnNames) columns[name] = new Float64Array(total).fill(Number.NaN);
  const entities: Entity[] = [];
  let at = 0;
  plans.forEach(({ members, rows }, index) => {
    const e = makeEntity(index, members, datasets);
    const quality: SeriesQuality = { duplicateSamples: 0, conflictingSamples: 0, counterResets: {} };
    e.rowStart = at;
    for (const group of rows) {
      t[at] = group[0].t;
      entityCol[at] = index;
      for (const name of columnNames) {
        for (const { d, r } of group) {
          const v = derived[d].columns[name]?.[r];
          if (v !== undefined && !Number.isNaN(v)) {
            columns[name]![at] = v;
            break;
          }
        }
      }
      if (group.length > 1) countRepeats(group, derived, columnNames, quality);
      at++;
    }
    e.rowEnd = at;
    // 4. Counters, provenance
    for (const name of COUNTERS) {
      const c = columns[name];
      const resets = c ? bridgeResets(c, e.rowStart, e.rowEnd) : 0;
      if (resets > 0) quality.counterResets[name] = resets;
    }
    if (quality.duplicateSamples || quality.conflictingSamples || Object.keys(quality.counterResets).length)
      e.quality = quality;
    for (const name of columnNames) {
      const c = columns[name]!;
      let known = false;
      for (let i = e.rowStart; i < e.rowEnd && !known; i++) known = !Number.isNaN(c[i]);
      if (!known) continue;
      // The least certain provenance among the datasets that gave this entity the column.
      for (const m of members) {
        const p = derived[m.dataset].provenance[name];
        if (p && (e.provenance[name] === undefined || rank(p) > rank(e.provenance[name]!)))
          e.provenance[name] = p;
      }
    }
    entities.push(e);
  });
  markSandboxes(entities, columns);
  linkPods(entities);

  const frame = aq.table({ entity: entityCol, t, ...columns });
  const start = total ? t.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY) : Number.NaN;
  const end = total ? t.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY) : Number.NaN;
  return {
    frame,
    t,
    columns,
    entities,
    inputs: datasets.map((d) => d.input),
    metadata,
    window: { start, end },
  };
}

interface Row {
  d: number;
  r: number;
  t: number;
  /** Position of the row's series in the tie-break order. */
  rank: number;
  /** The container instance (ID or cgroup) the row belongs to. */
  instance: string;
}

/**
 * Two rows of the same instance of a container, from the same input, at the same time: the series
 * is duplicated (two scrape jobs, HA replicas without deduplication). Same values → duplicate;
 * different values → conflict, and the first row's value was kept.
 */
function countRepeats(group: Row[], derived: Derived[], names: MetricName[], q: SeriesQuality): void {
  let duplicate = false;
  let conflict = false;
  for (let i = 1; i < group.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = group[j];
      const b = group[i];
      if (a.d !== b.d || a.instance !== b.instance) continue;
      for (const name of names) {
        const col = derived[a.d].columns[name];
        const va = col?.[a.r];
        const vb = col?.[b.r];
        if (va === undefined || vb === undefined || Number.isNaN(va) || Number.isNaN(vb)) continue;
        if (va === vb) duplicate = true;
        else conflict = true;
      }
    }
  }
  if (conflict) q.conflictingSamples++;
  else if (duplicate) q.duplicateSamples++;
}

function rank(p: string): number {
  return p === 'estimated' ? 2 : p === 'derived' ? 1 : 0;
}

function makeEntity(index: number, members: SeriesIdentity[], datasets: Dataset[]): Entity {
  // Later members are more recent (a restarted container's new cgroup): let them win.
  const byTime = [...members].sort((a, b) => firstTime(a, datasets) - firstTime(b, datasets));
  const e: Entity = {
    index,
    key: members[0].key,
    role: members[0].role,
    containerIds: [],
    cgroups: [],
    sources: [],
    provenance: {},
    rowStart: 0,
    rowEnd: 0,
  };
  for (const m of byTime) {
    if (m.role === 'sandbox') e.role = 'sandbox';
    e.namespace = m.namespace ?? e.namespace;
    e.pod = m.pod ?? e.pod;
    e.container = m.container ?? e.container;
    e.podUid = m.podUid ?? e.podUid;
    e.qos = m.qos ?? e.qos;
    e.node = m.node ?? e.node;
    e.driver = m.driver ?? e.driver;
    e.runtime = m.runtime ?? e.runtime;
    e.cgroupVersion = m.cgroupVersion ?? e.cgroupVersion;
    e.meta = m.meta ?? e.meta;
    if (m.containerId && !e.containerIds.includes(m.containerId)) e.containerIds.push(m.containerId);
    if (m.cgroup && !e.cgroups.includes(m.cgroup)) e.cgroups.push(m.cgroup);
    const src = datasets[m.dataset].input.path;
    if (!e.sources.includes(src)) e.sources.push(src);
  }
  e.containerId = e.containerIds.at(-1);
  e.cgroup = e.cgroups.at(-1);
  return e;
}

function firstTime(m: SeriesIdentity, datasets: Dataset[]): number {
  const table = datasets[m.dataset].table;
  const r = table.rowStart[m.series];
  return r < table.rowStart[m.series + 1] ? table.t[r] : Number.POSITIVE_INFINITY;
}

/**
 * Without metadata, a pod's pause container looks like any other container cgroup. It is the
 * one with no limit and almost no memory, in a pod that has other containers.
 */
function markSandboxes(entities: Entity[], columns: Partial<Record<MetricName, Float64Array>>): void {
  const byPod = new Map<string, Entity[]>();
  for (const e of entities) {
    if (e.role !== 'container' || !e.podUid) continue;
    const list = byPod.get(e.podUid) ?? [];
    list.push(e);
    byPod.set(e.podUid, list);
  }
  for (const list of byPod.values()) {
    if (list.length < 2) continue;
    for (const e of list) {
      if (e.meta?.name) continue; // named by metadata: a real container
      const limit = maxOf(columns.limit, e);
      const usage = maxOf(columns.usage, e);
      if ((Number.isNaN(limit) || limit === Number.POSITIVE_INFINITY) && usage < SANDBOX_MAX_USAGE)
        e.role = 'sandbox';
    }
  }
}

function maxOf(c: Float64Array | undefined, e: Entity): number {
  let m = Number.NaN;
  if (!c) return m;
  for (let i = e.rowStart; i < e.rowEnd; i++) if (!(c[i] <= m)) m = Number.isNaN(c[i]) ? m : c[i];
  return m;
}

function linkPods(entities: Entity[]): void {
  const pods = new Map<string, number>();
  for (const e of entities) if (e.role === 'pod' && e.podUid) pods.set(e.podUid, e.index);
  for (const e of entities) {
    if ((e.role === 'container' || e.role === 'sandbox') && e.podUid) e.parent = pods.get(e.podUid);
  }
}
