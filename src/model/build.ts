import * as aq from 'arquero';
import type { Dataset } from '../import/types.js';
import { stateAligner } from './align-state.js';
import { bridgeResets } from './counters.js';
import type { Derived } from './derive-cgroup.js';
import { deriveCgroup } from './derive-cgroup.js';
import { deriveMetrics } from './derive-metrics.js';
import type { SeriesIdentity } from './entities.js';
import { identify } from './entities.js';
import { firstTime, instanceOf, instanceStarts, splitConcurrent } from './instances.js';
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
 * 3. gather each entity's rows in time order into one frame; on equal times the members' rows
 *    merge column by column, the preferred member's known value first (planRows);
 * 4. bridge counter resets, count duplicated samples, record provenance, recognise sandboxes,
 *    link containers to pods.
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
  const byKey = new Map<string, SeriesIdentity[]>();
  for (const i of ids) {
    const g = byKey.get(i.key);
    if (g) g.push(i);
    else byKey.set(i.key, [i]);
  }
  // One name, several containers running side by side (two clusters in one export): apart.
  const groups = new Map<string, SeriesIdentity[]>();
  for (const group of byKey.values())
    for (const part of splitConcurrent(group, datasets)) groups.set(part[0].key, part);
  const present = new Set<MetricName>();
  for (const d of derived) for (const k of Object.keys(d.columns) as MetricName[]) present.add(k);
  const columnNames = METRICS.map((m) => m.name as MetricName).filter((n) => present.has(n));

  // 3. Gather rows per entity, sorted by time; equal times from several members merge.
  const since = opts.since ?? Number.NEGATIVE_INFINITY;
  const until = opts.until ?? Number.POSITIVE_INFINITY;
  const plans: Plan[] = [];
  let total = 0;
  for (const group of groups.values()) {
    const plan = planRows(group, datasets, since, until);
    plans.push(plan);
    total += plan.rows;
  }

  let t = new Float64Array(total);
  let entityCol = new Int32Array(total);
  const columns: Partial<Record<MetricName, Float64Array>> = {};
  for (const name of columnNames) columns[name] = new Float64Array(total).fill(Number.NaN);
  const entities: Entity[] = [];
  const alignState = stateAligner(columns);
  let at = 0;
  plans.forEach((plan, index) => {
    const { members } = plan;
    const e = makeEntity(index, plan, datasets);
    const quality: SeriesQuality = { duplicateSamples: 0, conflictingSamples: 0, counterResets: {} };
    e.rowStart = at;
    at = fillRows(plan, datasets, derived, columnNames, columns, t, at, quality);
    at = alignState(t, e.rowStart, at);
    entityCol.fill(index, e.rowStart, at);
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
  // Rows alignState folded away are at the end: the frame ends where the last entity does.
  if (at < total) {
    t = t.subarray(0, at);
    entityCol = entityCol.subarray(0, at);
    for (const name of columnNames) columns[name] = columns[name]!.subarray(0, at);
    total = at;
  }

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

interface Plan {
  /** Members in order of preference on equal times. */
  members: SeriesIdentity[];
  /** When each member's instance was first seen (instanceStarts). */
  started: (m: SeriesIdentity) => number;
  /** Frame rows this entity gets. */
  rows: number;
  /** Single member: its table rows [lo, hi) in the window. */
  lo: number;
  hi: number;
  /** Several members: (member, row) pairs in time order, and which pairs start a frame row. */
  member?: Int32Array;
  row?: Int32Array;
  starts?: Uint8Array;
}

/**
 * Which table rows make an entity's frame rows. Members are ranked: series naming their cgroup
 * first, then the instance (container ID or cgroup) that started last first — after a restart the new container's samples win over the old
 * series' stale repeats (Prometheus looks back up to 5 minutes for a series that stopped), even
 * when the two meet first in a later input (prom2csv instants, one file each); then earlier
 * datasets (the order the user gave), then the more recent series.
 */
function planRows(group: SeriesIdentity[], datasets: Dataset[], since: number, until: number): Plan {
  const started = instanceStarts(group, datasets);
  // A series that names its cgroup (cAdvisor) before one that does not (kube-state-metrics): where
  // both give a limit, the cgroup's is the one the kernel enforces, whatever the input order.
  const named = (m: SeriesIdentity) => (instanceOf(m) === '' ? 1 : 0);
  const members = [...group].sort(
    (a, b) =>
      named(a) - named(b) ||
      started(b) - started(a) ||
      a.dataset - b.dataset ||
      firstTime(b, datasets) - firstTime(a, datasets),
  );
  const windowOf = (m: SeriesIdentity): [number, number] => {
    const table = datasets[m.dataset].table;
    let lo = table.rowStart[m.series];
    let hi = table.rowStart[m.series + 1];
    // Rows of a series are sorted by time: the window is one contiguous range.
    while (lo < hi && table.t[lo] < since) lo++;
    while (hi > lo && table.t[hi - 1] > until) hi--;
    return [lo, hi];
  };
  if (members.length === 1) {
    const [lo, hi] = windowOf(members[0]);
    return { members, started, rows: hi - lo, lo, hi };
  }
  let n = 0;
  const ranges = members.map((m) => {
    const r = windowOf(m);
    n += r[1] - r[0];
    return r;
  });
  const member = new Int32Array(n);
  const row = new Int32Array(n);
  const time = new Float64Array(n);
  let k = 0;
  ranges.forEach(([lo, hi], mi) => {
    const tt = datasets[members[mi].dataset].table.t;
    for (let r = lo; r < hi; r++, k++) {
      member[k] = mi;
      row[k] = r;
      time[k] = tt[r];
    }
  });
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => time[a] - time[b] || member[a] - member[b] || a - b);
  const sm = new Int32Array(n);
  const sr = new Int32Array(n);
  const starts = new Uint8Array(n);
  let rows = 0;
  order.forEach((o, i) => {
    sm[i] = member[o];
    sr[i] = row[o];
    if (i === 0 || time[o] !== time[order[i - 1]]) {
      starts[i] = 1;
      rows++;
    }
  });
  return { members, started, rows, lo: 0, hi: 0, member: sm, row: sr, starts };
}

/** Copies an entity's rows into the frame from row `at`; returns the next free row. */
function fillRows(
  plan: Plan,
  datasets: Dataset[],
  derived: Derived[],
  names: MetricName[],
  columns: Partial<Record<MetricName, Float64Array>>,
  t: Float64Array,
  at: number,
  quality: SeriesQuality,
): number {
  const { members } = plan;
  if (!plan.member) {
    const d = members[0].dataset;
    t.set(datasets[d].table.t.subarray(plan.lo, plan.hi), at);
    for (const name of names) {
      const src = derived[d].columns[name];
      if (src) columns[name]!.set(src.subarray(plan.lo, plan.hi), at);
    }
    return at + plan.hi - plan.lo;
  }
  const srcs = members.map((m) => names.map((name) => derived[m.dataset].columns[name]));
  const dst = names.map((name) => columns[name]!);
  let row = at - 1;
  const member = plan.member;
  const rows = plan.row!;
  const starts = plan.starts!;
  const instance = members.map(instanceOf);
  let groupStart = 0;
  for (let i = 0; i < member.length; i++) {
    const m = member[i];
    const r = rows[i];
    if (starts[i]) {
      if (i - groupStart > 1) countRepeats(plan, srcs, instance, groupStart, i, quality);
      groupStart = i;
      row++;
      t[row] = datasets[members[m].dataset].table.t[r];
    }
    // Members come in order of preference within a time: the first known value stays.
    const src = srcs[m];
    for (let c = 0; c < dst.length; c++) {
      const s = src[c];
      if (s && Number.isNaN(dst[c][row])) dst[c][row] = s[r];
    }
  }
  if (member.length - groupStart > 1) countRepeats(plan, srcs, instance, groupStart, member.length, quality);
  return row + 1;
}

/**
 * Two rows of the same instance of a container, from the same input, at the same time: the series
 * is duplicated (two scrape jobs, HA replicas without deduplication). Same values → duplicate;
 * different values → conflict, and the first row's value was kept. Looks at pairs [from, to).
 */
function countRepeats(
  plan: Plan,
  srcs: (Float64Array | undefined)[][],
  instance: string[],
  from: number,
  to: number,
  q: SeriesQuality,
): void {
  const { members } = plan;
  const member = plan.member!;
  const rows = plan.row!;
  let duplicate = false;
  let conflict = false;
  for (let i = from + 1; i < to; i++) {
    for (let j = from; j < i; j++) {
      const a = member[j];
      const b = member[i];
      if (members[a].dataset !== members[b].dataset || instance[a] !== instance[b]) continue;
      // Same dataset, so the same derived columns.
      for (const col of srcs[a]) {
        if (!col) continue;
        const va = col[rows[j]];
        const vb = col[rows[i]];
        if (Number.isNaN(va) || Number.isNaN(vb)) continue;
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

function makeEntity(index: number, { members, started }: Plan, datasets: Dataset[]): Entity {
  // Later members are more recent (a restarted container's new cgroup): let them win.
  const byTime = [...members].sort(
    (a, b) => started(a) - started(b) || firstTime(a, datasets) - firstTime(b, datasets),
  );
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
  const starts = [...new Set(byTime.filter((m) => instanceOf(m) !== '').map(started))].filter(
    Number.isFinite,
  );
  if (starts.length > 1) e.replacedAt = starts.slice(1);
  return e;
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
      if (e.meta?.name || e.container) continue; // named by metadata or export labels: a real container
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
