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
 *
 * Groups are the connected components of these links, so a series of snapshots and the export of
 * its node end up together. Nothing else joins: two multi-snapshot captures of one node, or two
 * exports, are usually different incidents, and each keeps its own report.
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
 * say) usually stand alone, and are rendered as they are surveyed.
 */
export function mayJoinSeries(f: InputFacts): boolean {
  return isSingleSnapshot(f) && nameKey(f.path) !== null;
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
