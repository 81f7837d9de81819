import type { AnalyzeOptions } from '../analyze.js';
import type { ContainerSeverity } from '../passes/types.js';
import type { RenderOptions } from '../report/index.js';

/**
 * What one input says about itself that decides which other inputs it belongs with. Learned by
 * importing it once (the survey), persisted in summary.json so a re-run can regroup without
 * importing inputs whose reports are up to date.
 */
export interface InputFacts {
  /** The input path as resolved from the command line. */
  path: string;
  /** Importer id, e.g. 'cgroup-capture'. */
  format: string;
  kind: 'cgroup' | 'metrics';
  /** Node names the input states (capture manifest host, pod nodeName, export node labels), sorted. */
  nodes: string[];
  /**
   * Containers the input holds, sorted: runtime container IDs (from cgroup paths and the `id`
   * label) and namespace/pod/container names. An export joins a capture only if they share one.
   */
  containerIds?: string[];
  containerNames?: string[];
  /** First and last sample time, epoch ms (NaN-free: null when the input holds no samples). */
  start: number | null;
  end: number | null;
  /** Snapshots in a capture (null for exports). */
  snapshots: number | null;
  /**
   * Exports: the importer's variant of the format (`details.variant`, e.g. 'prom2csv
   * (id,timestamp,value,labels)'), null when it names none. Absent for captures, and in the facts
   * of runs that did not record it (those inputs are surveyed again).
   */
  variant?: string | null;
  /** Size in bytes and modification time of the input when it was surveyed (freshness checks). */
  size: number;
  mtimeMs: number;
}

/** The numbers of one analysed report that go into the index and the summaries. */
export interface ReportStats {
  /** Report files written, relative to the report folder. */
  files: string[];
  /** Window of the samples analysed, ISO (null when unknown). */
  windowStart: string | null;
  windowEnd: string | null;
  containers: number;
  /** Containers by severity. */
  critical: number;
  warning: number;
  info: number;
  /** Containers at warning or critical: the ones someone should look at. */
  flagged: number;
  findings: number;
  /** OOM kills summed over containers. */
  oomKills: number;
  worstSeverity: ContainerSeverity;
  /** Title of the most severe finding and its container, e.g. "OOM-killed: shop/api-7d/api (+1 more)". */
  verdict: string | null;
  /** Input warnings (and inputs a group could not read), one line each, first few only. */
  warnings: string[];
  warningCount: number;
}

export type RowStatus = 'ok' | 'failed' | 'interrupted' | 'pending';

/** One line of the index and of summary.csv / summary.json: one input, or a group of inputs. */
export interface BatchRow {
  /** Report folder, relative to the batch output folder; also the row's stable id. */
  name: string;
  status: RowStatus;
  /** True when this run found the report up to date and did not redo it. */
  reused: boolean;
  /** Members: one for a single input, several for a group; failed and interrupted inputs are unread. */
  inputs: (InputFacts | UnreadFacts)[];
  /** When the report was written, ISO; null when there is none. */
  generatedAt: string | null;
  /** Report numbers; null when the input failed or was not analysed. */
  stats: ReportStats | null;
  /** One-line reason for a failed or interrupted row. */
  error: string | null;
}

/** An input that failed to import or was not analysed: only what the file system says. */
export interface UnreadFacts {
  path: string;
  format: null;
  size: number;
  mtimeMs: number;
}

export interface BatchOptions {
  /** Output folder: one report folder per row, plus index.html, summary.csv, summary.json. */
  out: string;
  /** Renderer names (keys of RENDERERS) written into each report folder. */
  formats: string[];
  analyze: AnalyzeOptions;
  /** How each report is shown (--tz, --interactive). */
  render?: RenderOptions;
  /** A folder inside each report folder for its charts as PNG files (--png). */
  png?: string;
  /** Worker threads (default: the CPU count). */
  jobs?: number;
  /** Redo every report even when it is newer than its inputs. */
  force?: boolean;
  /** Stops the run: running tasks are dropped, finished reports kept, the index written. */
  signal?: AbortSignal;
  /** Progress and outcome events, in order. */
  onEvent?: (e: BatchEvent) => void;
}

export type BatchEvent =
  | { type: 'plan'; total: number; reused: number; totalBytes: number }
  | { type: 'task-start'; label: string; bytes: number }
  | { type: 'task-done'; label: string; bytes: number; ok: boolean; detail: string }
  | { type: 'tasks-added'; count: number; bytes: number }
  | { type: 'finalized'; row: BatchRow };

export interface BatchSummary {
  out: string;
  rows: BatchRow[];
  inputs: number;
  reports: number;
  groups: number;
  failed: number;
  interrupted: number;
  reused: number;
  /** Failures caused by a bug in memlens rather than by the input. */
  internalErrors: number;
  aborted: boolean;
  /** Worst severity over the rows with reports. */
  worstSeverity: ContainerSeverity | null;
}
