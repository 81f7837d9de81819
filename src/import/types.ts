import type { ClusterMetadata } from '../model/metadata.js';
import type { SampleTable } from '../model/samples.js';

/** What the user gave and what memlens made of it; carried into findings.json `inputs[]`. */
export interface InputInfo {
  /** The path as the user gave it ('-' for stdin). */
  path: string;
  /** Format id, e.g. 'cgroup-capture'. */
  format: string;
  /** One line each; position (file:line, entry) first. Carried into findings.json and the report. */
  warnings: string[];
  /** Format-specific facts for `inspect` (cgroup version, driver, snapshots, time range…). */
  details: Record<string, unknown>;
}

/** Identity hints for one series of a dataset. */
export interface SeriesHint {
  /** cgroup path with a leading '/', as cAdvisor's `id` label writes it. */
  cgroup?: string;
  /** cgroup version of this series (captures). */
  cgroupVersion?: 1 | 2;
  /** Labels of a metrics series (namespace, pod, container, id, image, node…). */
  labels?: Record<string, string>;
}

/**
 * One imported input. `kind` says how the model reads the table's fields:
 * - 'cgroup': fields are cgroup file names and 'file:key' pairs ('memory.stat:total_cache');
 * - 'metrics': fields are metric names (cAdvisor, kube-state-metrics).
 */
export interface Dataset {
  kind: 'cgroup' | 'metrics';
  input: InputInfo;
  table: SampleTable;
  /** Indexed by series id of `table`. */
  hints: SeriesHint[];
  metadata?: ClusterMetadata;
  /** Node name, when the input says it. */
  node?: string;
}

/** A warning collector that keeps the first few of each kind and counts the rest. */
export class Warnings {
  readonly lines: string[] = [];
  private readonly counts = new Map<string, { n: number; shown: number; summary: string }>();
  constructor(private readonly perKind = 5) {}

  add(kind: string, line: string, summary?: string): void {
    let c = this.counts.get(kind);
    if (!c) {
      c = { n: 0, shown: 0, summary: summary ?? kind };
      this.counts.set(kind, c);
    }
    c.n++;
    if (c.shown < this.perKind) {
      c.shown++;
      this.lines.push(line);
    }
  }

  /** The kept lines plus one "and N more" line per kind that overflowed. */
  finish(): string[] {
    const out = [...this.lines];
    for (const c of this.counts.values()) {
      if (c.n > c.shown) out.push(`… and ${c.n - c.shown} more: ${c.summary}`);
    }
    return out;
  }
}
