import { basename, dirname } from 'node:path';
import { byText } from './order.js';
import type { InputFacts } from './types.js';

/**
 * Consecutive single snapshots further apart than this start a new series. Capture loops and
 * scheduled snapshots run every few seconds to a few minutes; half an hour without one means the
 * next file is another look at the node, not the same incident.
 */
export const SERIES_MAX_GAP_MS = 30 * 60_000;
/**
 * A capture is usually taken while or just after the incident an export covers: its snapshots may
 * start a little after the export's last sample (exports are often cut at the alert).
 */
export const EXPORT_MARGIN_MS = 30 * 60_000;

/**
 * An export whose samples span more than this is a range (a `promtool tsdb dump`), not one scrape:
 * the samples of one scrape differ only by cAdvisor's stats times and kube-state-metrics' own
 * scrape, seconds to a minute apart.
 */
export const SNAPSHOT_MAX_SPAN_MS = 5 * 60_000;

const SNAPSHOT_NAME = /^(.*?)memory-\d{10}(?!\d)/;

/**
 * Which inputs of a batch belong in one report, decided only from what they say about themselves.
 * When in doubt, inputs stay apart.
 *
 * 1. A capture series split over single-snapshot files. Captures holding exactly one snapshot that
 *    name a common node (manifest host, the pods' nodeName) are one series; when neither names a
 *    node, files in the same folder named `<prefix>memory-<unixseconds>` with the same prefix are.
 *    A series is cut where consecutive snapshots are more than SERIES_MAX_GAP_MS apart.
 * 2. A metrics export and a capture of the same node: the export has series labelled with a node
 *    the capture names, and the capture's time range overlaps the export's (widened by
 *    EXPORT_MARGIN_MS).
 * 3. An export series split over snapshot files: exposition scrapes (`scrape-<unixseconds>.prom`)
 *    or prom2csv instants, each one moment (see snapshotSeries). Two snapshots of the same kind
 *    join when they hold a container in common (runtime ID or namespace/pod/container: a restart
 *    changes the ID, and showing it is what the series is for), name the same node or both none,
 *    and are at most SERIES_MAX_GAP_MS apart.
 *
 * Groups are the connected components of these links, so a series of snapshots and the export of
 * its node end up together. Nothing else joins: two multi-snapshot captures of one node, two range
 * exports, or a scrape and a prom2csv file of the same moment, are different incidents or the same
 * samples twice, and each keeps its own report.
 *
 * Returns the groups with members sorted by path, groups sorted by their first path.
 */
export function groupInputs(facts: readonly InputFacts[]): InputFacts[][] {
  const uf = new UnionFind(facts.length);
  // 1. Single-snapshot series.
  const singles = facts.map((_, i) => i).filter((i) => isSingleSnapshot(facts[i]));
  const seriesUf = new UnionFind(facts.length);
  const firstWith = new Map<string, number>();
  const link = (key: string, i: number) => {
    const j = firstWith.get(key);
    if (j === undefined) firstWith.set(key, i);
    else seriesUf.union(i, j);
  };
  for (const i of singles) {
    const f = facts[i];
    if (f.nodes.length) for (const n of f.nodes) link(`node\0${n}`, i);
    else {
      const key = nameKey(f.path);
      if (key) link(`name\0${key}`, i);
    }
  }
  for (const series of components(seriesUf, singles)) {
    series.sort((a, b) => facts[a].start! - facts[b].start! || byText(facts[a].path, facts[b].path));
    for (let k = 1; k < series.length; k++) {
      if (facts[series[k]].start! - facts[series[k - 1]].end! <= SERIES_MAX_GAP_MS)
        uf.union(series[k], series[k - 1]);
    }
  }
  // 2. Exports with captures of their nodes.
  const captures = facts.map((_, i) => i).filter((i) => facts[i].kind === 'cgroup' && hasTimes(facts[i]));
  for (let e = 0; e < facts.length; e++) {
    const x = facts[e];
    if (x.kind !== 'metrics' || !x.nodes.length || !hasTimes(x)) continue;
    const nodes = new Set(x.nodes);
    for (const c of captures) {
      const f = facts[c];
      if (!f.nodes.some((n) => nodes.has(n))) continue;
      if (!(f.end! >= x.start! - EXPORT_MARGIN_MS && f.start! <= x.end! + EXPORT_MARGIN_MS)) continue;
      if (sharesContainers(x, f)) uf.union(e, c);
    }
  }
  // 3. Export snapshots. Sorted by time, each is compared with the later ones that start within
  // the gap; pairs already in one group skip the container comparison.
  const snaps = facts
    .map((_, i) => i)
    .filter((i) => snapshotSeries(facts[i]) !== null)
    .sort((a, b) => facts[a].start! - facts[b].start! || byText(facts[a].path, facts[b].path));
  const held = new Map(snaps.map((i) => [i, containerKeys(facts[i])]));
  const series = new Map(snaps.map((i) => [i, snapshotSeries(facts[i])]));
  for (let a = 0; a < snaps.length; a++) {
    const x = facts[snaps[a]];
    for (let b = a + 1; b < snaps.length; b++) {
      const y = facts[snaps[b]];
      if (y.start! - x.end! > SERIES_MAX_GAP_MS) break;
      if (uf.find(snaps[a]) === uf.find(snaps[b])) continue;
      if (series.get(snaps[a]) !== series.get(snaps[b]) || !sameNodes(x, y)) continue;
      if (intersects(held.get(snaps[a])!, held.get(snaps[b])!)) uf.union(snaps[a], snaps[b]);
    }
  }
  return components(
    uf,
    facts.map((_, i) => i),
  )
    .map((g) => g.map((i) => facts[i]).sort((a, b) => byText(a.path, b.path)))
    .sort((a, b) => byText(a[0].path, b[0].path));
}

/**
 * A single snapshot named like a part of a series (memory-<unixseconds>): its report alone is
 * unlikely to be the one kept, so the survey does not render it (a series of a hundred files would
 * render a hundred reports). One-snapshot captures named otherwise (one per node of a cluster,
 * say) usually stand alone, and are rendered as they are surveyed. Export snapshots (scrapes,
 * prom2csv instants) are single moments whatever their name, and are never rendered alone here.
 */
export function mayJoinSeries(f: InputFacts): boolean {
  return (isSingleSnapshot(f) && nameKey(f.path) !== null) || snapshotSeries(f) !== null;
}

/**
 * The kind of series an export snapshot belongs to: 'prometheus-exposition' for a scrape of
 * /metrics (docs/exports.md: several snapshots together form a series), 'prom2csv' for a prom2csv
 * instant file; null for any other input, and for an exposition file that spans more than
 * SNAPSHOT_MAX_SPAN_MS (a tsdb dump is a range of its own).
 */
export function snapshotSeries(f: InputFacts): string | null {
  if (f.kind !== 'metrics' || !hasTimes(f) || f.end! - f.start! > SNAPSHOT_MAX_SPAN_MS) return null;
  if (f.format === 'prometheus-exposition') return f.format;
  if (f.format === 'prometheus-csv' && f.variant?.startsWith('prom2csv')) return 'prom2csv';
  return null;
}

/** Both name the same node (any in common), or neither names one. */
function sameNodes(a: InputFacts, b: InputFacts): boolean {
  if (!a.nodes.length || !b.nodes.length) return !a.nodes.length && !b.nodes.length;
  const set = new Set(a.nodes);
  return b.nodes.some((n) => set.has(n));
}

function containerKeys(f: InputFacts): Set<string> {
  return new Set([
    ...(f.containerIds ?? []).map((id) => `id\0${id}`),
    ...(f.containerNames ?? []).map((n) => `name\0${n}`),
  ]);
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const v of small) if (large.has(v)) return true;
  return false;
}

/**
 * Whether an export and a capture hold any container in common, compared on what both know:
 * runtime IDs first (names repeat across incidents: a redeployed pod keeps its name), then
 * namespace/pod/container. Two inputs with nothing comparable are taken at their node and time.
 */
function sharesContainers(a: InputFacts, b: InputFacts): boolean {
  const pick = (x: InputFacts, y: InputFacts) =>
    x.containerIds?.length && y.containerIds?.length
      ? [x.containerIds, y.containerIds]
      : x.containerNames?.length && y.containerNames?.length
        ? [x.containerNames, y.containerNames]
        : null;
  const pair = pick(a, b);
  if (!pair) return true;
  const set = new Set(pair[0]);
  return pair[1].some((v) => set.has(v));
}

function isSingleSnapshot(f: InputFacts): boolean {
  return f.kind === 'cgroup' && f.snapshots === 1 && hasTimes(f);
}

function hasTimes(f: InputFacts): boolean {
  return f.start !== null && f.end !== null;
}

/** "incidents/node-a/memory-1764270348.tar.gz" → "incidents/node-a/" (folder and name prefix). */
export function nameKey(path: string): string | null {
  const m = SNAPSHOT_NAME.exec(basename(path));
  return m ? `${dirname(path)}/${m[1]}` : null;
}

function components(uf: UnionFind, members: number[]): number[][] {
  const out = new Map<number, number[]>();
  for (const i of members) {
    const r = uf.find(i);
    const list = out.get(r);
    if (list) list.push(i);
    else out.set(r, [i]);
  }
  return [...out.values()];
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[i] !== r) {
      const next = this.parent[i];
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
