import type { ColumnTable } from 'arquero';
import type { InputInfo } from '../import/types.js';
import type { Driver, Role } from './identity.js';
import type { ClusterMetadata, ContainerMeta } from './metadata.js';
import type { MetricName, Provenance } from './metrics.js';

/** One cgroup-level thing memlens knows: a container, a pod, a QoS class, the node, a sandbox. */
export interface Entity {
  index: number;
  /** Stable, readable: namespace/pod/container when names are known, else the cgroup path. */
  key: string;
  role: Role;
  namespace?: string;
  pod?: string;
  container?: string;
  podUid?: string;
  /** The most recent container ID (a restarted container has had several). */
  containerId?: string;
  containerIds: string[];
  /**
   * When each later instance (a new container ID, else a new cgroup) first appears in the data:
   * the restarts the series show by themselves, whatever Kubernetes says. Absent when none.
   */
  replacedAt?: number[];
  /** The most recent cgroup path. */
  cgroup?: string;
  cgroups: string[];
  qos?: string;
  node?: string;
  driver?: Driver;
  runtime?: string;
  cgroupVersion?: 1 | 2;
  /** Input paths this entity's data came from. */
  sources: string[];
  /** For each column this entity has values for: measured, derived or estimated. */
  provenance: Partial<Record<MetricName, Provenance>>;
  /** What cluster metadata says about the container (restarts, last termination, spec limit). */
  meta?: ContainerMeta;
  /** Index of the pod entity this container belongs to. */
  parent?: number;
  /** This entity's rows in the frame: [rowStart, rowEnd), sorted by time. */
  rowStart: number;
  rowEnd: number;
  /** What building the series had to repair; absent when nothing. */
  quality?: SeriesQuality;
}

/** Repairs made while building an entity's series, for the inconsistent-metrics pass. */
export interface SeriesQuality {
  /** Times the same instance had two samples at one time with equal values (duplicated series). */
  duplicateSamples: number;
  /** Times it had two samples at one time with different values (the first input's was kept). */
  conflictingSamples: number;
  /** Counter resets bridged, per column. */
  counterResets: Partial<Record<MetricName, number>>;
}

/** The canonical model: one row per (entity, time), one column per metric; NaN is unknown. */
export interface MemModel {
  /** arquero view of the frame: columns `entity`, `t` and every metric column present. */
  frame: ColumnTable;
  /** Direct access to the frame's typed columns (the same arrays arquero holds). */
  t: Float64Array;
  columns: Partial<Record<MetricName, Float64Array>>;
  entities: Entity[];
  inputs: InputInfo[];
  metadata: ClusterMetadata;
  /** Time span of the rows kept, epoch ms; NaN when empty. */
  window: { start: number; end: number };
}

/** A zero-copy view of one entity's series, as passes read it. */
export interface Series {
  readonly entity: Entity;
  readonly t: Float64Array;
  readonly length: number;
  /** The column restricted to this entity, or undefined when the model has no such column. */
  col(name: MetricName): Float64Array | undefined;
  /** True when the entity has at least one known value of the column. */
  has(name: MetricName): boolean;
}

export function seriesOf(model: MemModel, entity: Entity): Series {
  const { rowStart: a, rowEnd: b } = entity;
  const cache = new Map<MetricName, Float64Array | undefined>();
  const col = (name: MetricName) => {
    if (!cache.has(name)) cache.set(name, model.columns[name]?.subarray(a, b));
    return cache.get(name);
  };
  return {
    entity,
    t: model.t.subarray(a, b),
    length: b - a,
    col,
    has: (name) => entity.provenance[name] !== undefined,
  };
}

export function containersOf(model: MemModel): Entity[] {
  return model.entities.filter((e) => e.role === 'container');
}
