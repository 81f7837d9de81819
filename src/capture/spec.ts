/**
 * The memlens capture format, in one place. Three things read or write it and must agree:
 * scripts/memlens-capture.sh (a test checks its lists against these), `memlens capture`
 * (src/capture/) and the importer (src/import/cgroup/).
 *
 * A capture is a gzip stream of tar archives, one per gzip member:
 *
 *   member 1      manifest.json                             (complete: false; says what is running)
 *   member 2..n   <snapshot folder>/<root name>/<cgroup path>/memory.*     one snapshot each
 *   last member   manifest.json (complete: true), meta/*                   written on a clean stop
 *
 * One member per snapshot keeps nothing but the current snapshot on the node's disk and makes a
 * capture that is killed midway still readable up to its last finished snapshot. The importer
 * reads it as one tree (the last manifest.json wins). GNU tar needs `--ignore-zeros` (`tar -xzif`)
 * to unpack past the first member.
 */

export const CAPTURE_FORMAT = 'memlens-capture';
export const CAPTURE_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/**
 * cgroup v1 files copied for every cgroup: what the model derives cAdvisor's metrics from
 * (stat, usage, limit, max usage, failcnt, OOM kills, swap, kernel) plus the soft limit and
 * use_hierarchy, which say how to read the rest.
 */
export const V1_FILES = [
  'memory.stat',
  'memory.usage_in_bytes',
  'memory.limit_in_bytes',
  'memory.max_usage_in_bytes',
  'memory.failcnt',
  'memory.oom_control',
  'memory.memsw.usage_in_bytes',
  'memory.memsw.limit_in_bytes',
  'memory.memsw.max_usage_in_bytes',
  'memory.memsw.failcnt',
  'memory.kmem.usage_in_bytes',
  'memory.soft_limit_in_bytes',
  'memory.use_hierarchy',
] as const;

/** cgroup v2 files copied for every cgroup (cgroup-v2.rst, "Memory Interface Files"). */
export const V2_FILES = [
  'memory.current',
  'memory.max',
  'memory.high',
  'memory.low',
  'memory.min',
  'memory.stat',
  'memory.events',
  'memory.events.local',
  'memory.peak',
  'memory.swap.current',
  'memory.swap.max',
  'memory.swap.events',
  'memory.pressure',
  'memory.oom.group',
] as const;

/** Files that exist in only one cgroup version mark which version a cgroup series comes from. */
export const V1_ONLY_FILES: ReadonlySet<string> = new Set(
  V1_FILES.filter((f) => !(V2_FILES as readonly string[]).includes(f)),
);
export const V2_ONLY_FILES: ReadonlySet<string> = new Set(
  V2_FILES.filter((f) => !(V1_FILES as readonly string[]).includes(f)),
);

/** Metadata files in the last member, each written only when its tool is there and answers. */
export const META_FILES = {
  crictlPs: 'meta/crictl-ps.json',
  crictlPods: 'meta/crictl-pods.json',
  kubectlPods: 'meta/kubectl-pods.json',
  dockerInspect: 'meta/docker-inspect.json',
  dmesgOom: 'meta/dmesg-oom.txt',
} as const;

/** manifest.json: what a capture is, where and when it was taken, and how it ended. */
export interface CaptureManifest {
  format?: string;
  version?: number;
  /** Host name of the node (/proc/sys/kernel/hostname). */
  host?: string;
  /** Kernel release (/proc/sys/kernel/osrelease). */
  kernel?: string;
  cgroupVersion?: number;
  /** The cgroup captured, as an absolute path on the node. */
  root?: string;
  /** Seconds between snapshots. */
  interval?: number;
  /** Snapshots written so far. */
  snapshots?: number;
  /** First and last snapshot times (RFC3339 UTC); end is null until the capture stops. */
  start?: string;
  end?: string | null;
  /** False in the manifest written first; true in the one written when the capture stops. */
  complete?: boolean;
  /** Why it stopped: all snapshots taken, or a signal (Ctrl-C, kill). */
  stopped?: 'done' | 'interrupted' | null;
  /** Unix seconds the node booted (/proc/stat btime): places kernel-log times on the clock. */
  bootTime?: number | null;
  /** memlens-capture.sh or memlens capture. */
  tool?: string;
  [k: string]: unknown;
}

/** The keys every manifest written by the two capture tools has, in the order they write them. */
export const MANIFEST_KEYS = [
  'format',
  'version',
  'host',
  'kernel',
  'cgroupVersion',
  'root',
  'interval',
  'snapshots',
  'start',
  'end',
  'complete',
  'stopped',
  'bootTime',
  'tool',
] as const;

/** A snapshot's folder: its time in RFC3339 UTC to the second, e.g. 2026-11-27T19:16:55Z. */
export function snapshotFolder(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seconds between snapshots when none is given. */
export const DEFAULT_INTERVAL_SECONDS = 10;

/**
 * Parses a capture duration: "90s", "15m", "2h" or plain seconds ("90"). NaN when it is none of
 * these. The shell script accepts exactly the same forms.
 */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhSMH]?)$/.exec(text);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  return unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : n;
}

/** Snapshots a duration asks for: one now and one every interval until the duration has passed. */
export function snapshotsFor(durationSeconds: number, intervalSeconds: number): number {
  return Math.floor(durationSeconds / intervalSeconds) + 1;
}
