/**
 * Every sentence memlens writes about a finding, in one place. Passes return codes and numbers;
 * this file turns them into a title and a message, and into the clause the per-container
 * narrative uses. Renderers never compose finding text.
 */
import { formatBytes as b, formatPercent as pct } from './util/bytes.js';
import { formatDuration, formatTime } from './util/time.js';

type Num = number | undefined;

function limitPart(value: Num, limit: Num): string {
  return limit !== undefined && Number.isFinite(limit)
    ? ` (${pct((value ?? Number.NaN) / limit)} of the ${b(limit)} limit)`
    : '';
}

function composition(e: {
  usageBytes?: number;
  rssBytes?: number;
  cacheBytes?: number;
  shmemBytes?: number;
  kernelBytes?: number;
  dirtyBytes?: number;
  limitBytes?: number;
}): string {
  const parts = [`usage ${b(e.usageBytes)}${limitPart(e.usageBytes, e.limitBytes)}`];
  if (e.rssBytes !== undefined) parts.push(`anon ${b(e.rssBytes)}`);
  if (e.cacheBytes !== undefined) parts.push(`file cache ${b(e.cacheBytes)}`);
  if (e.shmemBytes !== undefined) parts.push(`of which shmem/tmpfs ${b(e.shmemBytes)}`);
  if (e.dirtyBytes) parts.push(`dirty or under writeback ${b(e.dirtyBytes)}`);
  if (e.kernelBytes !== undefined) parts.push(`kernel ${b(e.kernelBytes)}`);
  return parts.join(', ');
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const times = (n: number) => (n > 1 ? ` ${n}×` : '');
const during = (ms: number, samples: number) =>
  samples > 1 ? `for ${formatDuration(ms)} (${plural(samples, 'sample')})` : 'in one sample';

/** What filled the limit, as oom-kill's cause analysis names it (lib/oom-cause.ts). */
const CAUSE: Record<string, { short: string; what: string; fix: string }> = {
  anon: {
    short: 'anon memory',
    what: 'anonymous memory (heap, stacks)',
    fix: 'A leak or an undersized limit: see anon-growth, and the recommended limit.',
  },
  shmem: {
    short: 'tmpfs/shmem',
    what: 'tmpfs/shmem (emptyDir {medium: Memory}, /dev/shm)',
    fix: 'Killing processes does not free tmpfs: the files stay charged until deleted, so the container can be killed again right after a restart (kubernetes/kubernetes#128339). Delete the files, or size the limit for them.',
  },
  kernel: {
    short: 'kernel memory',
    what: 'kernel memory charged to the cgroup (slab: dentries, inodes; sockets; page tables)',
    fix: 'Look for many files, sockets or processes; this memory is not in the process RSS.',
  },
  'dirty-file': {
    short: 'unwritten file cache',
    what: 'file cache that was dirty or under writeback, which reclaim must wait for',
    fix: 'Writes outran the disk: throttle writes or sync more often.',
  },
  file: {
    short: 'file cache',
    what: 'file cache the kernel did not reclaim (mapped or in active use)',
    fix: 'Mapped files count against the limit while mapped: size the limit for them.',
  },
  'file-or-shmem': {
    short: 'active file cache or tmpfs',
    what: 'active file cache or tmpfs/shmem (this data cannot tell them apart: cAdvisor exports no shmem)',
    fix: 'A capture of the cgroup files tells the two apart.',
  },
  unknown: { short: 'unknown', what: 'nothing this data shows', fix: '' },
};

const SOURCE_WORDS: Record<string, string> = {
  cgroup: "the cgroup's OOM-kill counter",
  'kernel-log': 'the kernel log',
  kubernetes: 'Kubernetes (last termination reason OOMKilled)',
  cadvisor: "cAdvisor's container_oom_events_total",
  restart: 'a restart right after the working set reached the limit (inferred)',
};

function sourcesSentence(seenBy: string | undefined, restarts: Num): string {
  if (!seenBy) return '';
  const list = seenBy.split(',').map((s) => SOURCE_WORDS[s] ?? s);
  const restartsPart = restarts !== undefined ? ` Kubernetes counts ${plural(restarts, 'restart')}.` : '';
  return ` Seen by ${list.join(', ')}.${restartsPart}`;
}

export interface OomKillEvidence {
  kills: number;
  /** Comma-separated sources that saw the kill, most trusted first (words only). */
  seenBy?: string;
  source?: string;
  sourceCgroup?: number;
  sourceKernelLog?: number;
  sourceKubernetes?: number;
  sourceCadvisor?: number;
  sourceRestart?: number;
  intervalMs: number;
  lastSampleAt?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  cacheBytes?: number;
  shmemBytes?: number;
  kernelBytes?: number;
  dirtyBytes?: number;
  limitBytes?: number;
  /** What filled the limit (lib/oom-cause.ts), words only. */
  cause?: string;
  causeBytes?: number;
  causeGrowthBytes?: number;
  causeGrowthMs?: number;
  /** 1 when a part is estimated (Prometheus data without the breakdown). */
  estimated?: number;
  task?: string;
  pid?: number;
  victimAnonBytes?: number;
  victimShmemBytes?: number;
  victimFileBytes?: number;
  /** 1 when the node ran out of memory (the kernel's global OOM killer), not a cgroup limit. */
  nodeWide?: number;
  /** 1 when the limit hit was the pod's, not the container's. */
  podLimit?: number;
  restarts?: number;
  /** 1 when only a weak source saw it: cAdvisor's counter, or a restart at the limit. */
  weak?: number;
}

/** A possible kill that only a restart at the limit suggests (cAdvisor's counter did not rise). */
function restartOnly(e: Pick<OomKillEvidence, 'sourceCadvisor' | 'sourceRestart'>): boolean {
  return !e.sourceCadvisor && e.sourceRestart === 1;
}

/** Why a kill is only possible, in a few words: the weak source that saw it. */
export function weakKillWhy(e: Pick<OomKillEvidence, 'sourceCadvisor' | 'sourceRestart'>): string {
  return restartOnly(e) ? 'restarted at the limit' : 'cAdvisor only';
}

function oomKillMessage(e: OomKillEvidence): string {
  const what = !e.weak
    ? `The kernel OOM killer killed ${plural(e.kills, 'process', 'processes')} of this container${e.intervalMs > 0 ? ` within ${formatDuration(e.intervalMs)}` : ''}.`
    : restartOnly(e)
      ? `A new instance of the container (a new container ID) appeared within ${formatDuration(e.intervalMs)} of a sample where its working set was ${b(e.workingSetBytes)}${limitPart(e.workingSetBytes, e.limitBytes)}; nothing in this data says why it restarted, and a restart that close to the limit is most often an OOM kill. Confirm it with \`kubectl describe pod\` (Last State: OOMKilled) or by exporting kube_pod_container_status_last_terminated_reason.`
      : `cAdvisor counted ${plural(e.kills, 'OOM kill')} in this container within ${formatDuration(e.intervalMs)}; no stronger source confirms it (the counter is only a hint: google/cadvisor#3015).`;
  const scope = e.nodeWide
    ? ' The node ran out of memory: this was the node-wide OOM killer, not the container limit.'
    : e.podLimit
      ? " The limit hit was the pod's, not the container's own."
      : '';
  const victim =
    e.task !== undefined
      ? ` The kernel log names ${e.task}${e.pid !== undefined ? ` (pid ${e.pid})` : ''}, holding anon ${b(e.victimAnonBytes)}, shmem ${b(e.victimShmemBytes)}, file ${b(e.victimFileBytes)} when killed.`
      : '';
  const c = CAUSE[e.cause ?? 'unknown'] ?? CAUSE.unknown;
  const cause =
    e.lastSampleAt !== undefined
      ? ` What filled the limit: ${c.what}${e.causeBytes !== undefined ? `, ${b(e.causeBytes)}` : ''}${
          e.causeGrowthBytes !== undefined && e.causeGrowthMs
            ? ` (${e.causeGrowthBytes >= 0 ? 'up' : 'down'} ${b(Math.abs(e.causeGrowthBytes))} in the ${formatDuration(e.causeGrowthMs)} before)`
            : ''
        }${e.estimated ? ', estimated' : ''}. In the last sample before (${formatTime(e.lastSampleAt)}): ${composition(e)}.${
          e.limitBytes !== undefined && e.usageBytes !== undefined && e.usageBytes < 0.8 * e.limitBytes
            ? ' That sample was well below the limit: memory rose faster than the sampling interval shows.'
            : ''
        }${c.fix ? ` ${c.fix}` : ''}`
      : '';
  return what + scope + victim + cause + sourcesSentence(e.seenBy, e.restarts);
}

export interface UsagePinnedEvidence {
  from: number;
  durationMs: number;
  samples: number;
  totalSamples: number;
  /** Lowest and highest usage / limit over the stretch. */
  usageShareMin: number;
  usageShareMax: number;
  /** The sample the figures below describe: the stretch's median by usage share. */
  at: number;
  usageBytes: number;
  /** usageBytes / limitBytes. */
  usageShare: number;
  workingSetBytes: number;
  /** workingSetBytes / limitBytes. */
  workingSetShare: number;
  limitBytes: number;
  /** usageBytes − workingSetBytes: the inactive file cache the working set leaves out. */
  inactiveFileBytes: number;
  /** All file cache in that sample, active pages (counted in the working set) included. */
  cacheBytes?: number;
  /** Median file cache over the stretch: what refaultShareOfCachePerMin is a share of. */
  cacheMedianBytes?: number;
  /** Limit hits per second (v1 failcnt or v2 memory.events max); undefined when not kept. */
  reclaimPerSec?: number;
  reclaimCounter?: string;
  refaultsPerSec?: number;
  /** Refaulted bytes per minute as a share of the file cache. */
  refaultShareOfCachePerMin?: number;
}

/** "the whole cache again every 20s" or "12.0 % of the cache a minute". */
function turnover(sharePerMin: Num): string {
  if (sharePerMin === undefined) return '?';
  if (sharePerMin >= 60) return `the whole cache over again ${(sharePerMin / 60).toFixed(1)} times a second`;
  return sharePerMin >= 1
    ? `the whole cache over again every ${formatDuration(60_000 / sharePerMin)}`
    : `${pct(sharePerMin)} of the cache a minute`;
}

function pinnedMessage(e: UsagePinnedEvidence, thrashing: boolean): string {
  const reclaim =
    e.reclaimPerSec !== undefined
      ? ` The kernel hit the limit and reclaimed ${e.reclaimPerSec.toFixed(1)} times a second (${e.reclaimCounter}), with no OOM kill.`
      : ' This data does not say how often reclaim ran (no failcnt or memory.events max).';
  const refaults =
    e.refaultsPerSec === undefined
      ? ' File refaults are not in this data, so a harmless full cache cannot be told apart from thrashing.'
      : thrashing
        ? ` It is thrashing: ${b(e.refaultsPerSec * 4096)} a second of file pages are read back soon after being dropped (${turnover(e.refaultShareOfCachePerMin)}, against a median file cache of ${b(e.cacheMedianBytes)} over the stretch). The container waits on disk for files it just had; a larger limit, or reading less at once, would help.`
        : ` File refaults stay low (${e.refaultsPerSec.toFixed(1)} pages a second): the cache is full of data read once, which the kernel recycles. This is harmless.`;
  const range =
    pct(e.usageShareMin) === pct(e.usageShareMax)
      ? pct(e.usageShareMax)
      : `${pct(e.usageShareMin)} to ${pct(e.usageShareMax)}`;
  // Every figure of the second sentence is from the one sample at e.at: usage = working set + the rest.
  const allCache =
    e.cacheBytes !== undefined && b(e.cacheBytes) !== b(e.inactiveFileBytes)
      ? ` (file cache in all ${b(e.cacheBytes)}, of which the rest counts in the working set)`
      : '';
  return (
    `Usage sat at ${range} of the ${b(e.limitBytes)} limit ${during(e.durationMs, e.samples)} from ${formatTime(e.from)}. ` +
    `${e.samples > 1 ? `In the median sample, at ${formatTime(e.at)}` : `At ${formatTime(e.at)}`}, usage was ${b(e.usageBytes)} (${pct(e.usageShare)}) ` +
    `and the working set ${b(e.workingSetBytes)} (${pct(e.workingSetShare)}): the other ${b(e.inactiveFileBytes)} is inactive file cache, which the kernel reclaims first${allCache}.` +
    reclaim +
    refaults
  );
}

export interface NearLimitEvidence {
  peakShare: number;
  workingSetBytes: number;
  limitBytes: number;
  at: number;
  threshold: number;
  durationMs: number;
  /** Samples of the longest stretch. */
  longestSamples: number;
  /** Samples at or above the threshold in all stretches. */
  samples: number;
  totalSamples: number;
  anonBytes?: number;
  activeFileBytes?: number;
  shmemBytes?: number;
  kernelBytes?: number;
  activeOrShmemBytes?: number;
  estimated?: number;
}

function nearLimitMessage(e: NearLimitEvidence): string {
  const parts: string[] = [];
  if (e.anonBytes !== undefined) parts.push(`anon ${b(e.anonBytes)}`);
  if (e.activeFileBytes !== undefined)
    parts.push(`active file ${b(e.activeFileBytes)} (reclaimable, but counted)`);
  if (e.shmemBytes !== undefined) parts.push(`shmem/tmpfs ${b(e.shmemBytes)} (not reclaimable)`);
  if (e.activeOrShmemBytes !== undefined)
    parts.push(
      `active file or shmem ${b(e.activeOrShmemBytes)} (estimated; this data cannot tell them apart)`,
    );
  if (e.kernelBytes !== undefined) parts.push(`kernel ${b(e.kernelBytes)}`);
  return (
    `The working set reached ${b(e.workingSetBytes)}, ${pct(e.peakShare)} of the ${b(e.limitBytes)} limit, at ${formatTime(e.at)}; ` +
    `it stayed at or above ${pct(e.threshold)} ${during(e.durationMs, e.longestSamples)} in its longest stretch (${e.samples} of ${e.totalSamples} samples in all). ` +
    `The kubelet and \`kubectl top\` watch this number${parts.length ? `. It was made of ${parts.join(', ')}` : ''}.`
  );
}

export interface AnonGrowthEvidence {
  slopeBytesPerHour: number;
  r2: number;
  fromBytes: number;
  toBytes: number;
  durationMs: number;
  samples: number;
  from: number;
  limitBytes?: number;
  headroomBytes?: number;
  timeToLimitMs?: number;
  /** 1 when the fit is on the lower envelope (what survives each GC). */
  envelope?: number;
  unlimited?: number;
  /** Earlier segments (between kills or restarts) that grew the same way. */
  earlierGrowing?: number;
}

export interface InconsistencyEvidence {
  samples: number;
  totalSamples: number;
  at?: number;
  expectedBytes?: number;
  reportedBytes?: number;
  differenceBytes?: number;
  share?: number;
}

export const MESSAGES = {
  'oom-kill/killed': (e: OomKillEvidence) => ({
    title: `${e.weak ? 'Possibly OOM-killed' : 'OOM-killed'}${times(e.kills)}${e.cause && e.cause !== 'unknown' ? `: ${CAUSE[e.cause]?.short ?? e.cause}` : ''}`,
    message: oomKillMessage(e),
  }),
  'oom-kill/before-window': (e: {
    kills: number;
    firstSampleAt: number;
    limitBytes?: number;
    seenBy?: string;
    restarts?: number;
  }) => ({
    title: `OOM-killed ${e.kills}× before the window`,
    message:
      `${plural(e.kills, 'OOM kill')} happened before the data starts (${formatTime(e.firstSampleAt)}), so the memory composition before ${e.kills === 1 ? 'it' : 'them'} is unknown.` +
      sourcesSentence(e.seenBy ?? 'cgroup', e.restarts),
  }),
  'oom-kill/untimed': (e: {
    kills: number;
    seenBy?: string;
    restarts?: number;
    task?: string;
    pid?: number;
    victimAnonBytes?: number;
    victimShmemBytes?: number;
    victimFileBytes?: number;
    why: string;
  }) => ({
    title: `OOM-killed${times(e.kills)} (time unknown)`,
    message:
      `${plural(e.kills, 'OOM kill')} of this container ${e.kills === 1 ? 'is' : 'are'} on record, but not when: ${e.why}.` +
      (e.task !== undefined
        ? ` The kernel log names ${e.task}${e.pid !== undefined ? ` (pid ${e.pid})` : ''}, holding anon ${b(e.victimAnonBytes)}, shmem ${b(e.victimShmemBytes)}, file ${b(e.victimFileBytes)} when killed.`
        : '') +
      sourcesSentence(e.seenBy, e.restarts),
  }),
  'cache-inflated-usage/inflated': (e: {
    usageBytes: number;
    workingSetBytes: number;
    inactiveFileBytes: number;
    share: number;
    at: number;
    limitBytes?: number;
    samples: number;
    totalSamples: number;
    alertShare: number;
    /** Samples where a usage alert at alertShare would fire while the working set stayed below it. */
    falseAlertSamples?: number;
    falseAlertMs?: number;
    falseAlertFrom?: number;
    /** Highest working-set share of the limit while that alert fired. */
    workingSetShareDuringAlert?: number;
    peakUsageShare?: number;
  }) => ({
    title: 'Usage inflated by file cache',
    message:
      `Usage overstates the memory this container needs: at ${formatTime(e.at)} usage was ${b(e.usageBytes)}${limitPart(e.usageBytes, e.limitBytes)} ` +
      `but the working set only ${b(e.workingSetBytes)}${limitPart(e.workingSetBytes, e.limitBytes)}; ` +
      `${b(e.inactiveFileBytes)} (${pct(e.share)} of usage) is inactive file cache, which the kernel reclaims first. ` +
      `${e.samples} of ${e.totalSamples} samples look like this. ` +
      (e.limitBytes === undefined
        ? 'Without a limit no usage/limit alert applies; watch the working set.'
        : e.falseAlertSamples
          ? `A usage alert at ${pct(e.alertShare)} of the limit would have fired ${during(e.falseAlertMs ?? 0, e.falseAlertSamples)} from ${formatTime(e.falseAlertFrom ?? Number.NaN)} while the working set stayed at or below ${pct(e.workingSetShareDuringAlert)}: a false alarm. Alert on container_memory_working_set_bytes instead.`
          : (e.peakUsageShare ?? 0) >= e.alertShare
            ? `A usage alert at ${pct(e.alertShare)} of the limit would have fired only while the working set was high too (usage peaked at ${pct(e.peakUsageShare)}): no false alarm, but usage-based dashboards still overstate this container; watch the working set.`
            : `A usage alert at ${pct(e.alertShare)} of the limit would not have fired (usage peaked at ${pct(e.peakUsageShare)}), but usage-based dashboards still overstate this container; watch the working set.`),
  }),
  'usage-pinned-by-cache/pinned': (e: UsagePinnedEvidence) => ({
    title: 'Usage pinned at the limit by file cache (harmless)',
    message: pinnedMessage(e, false),
  }),
  'usage-pinned-by-cache/thrashing': (e: UsagePinnedEvidence) => ({
    title: 'Usage pinned at the limit by file cache: thrashing',
    message: pinnedMessage(e, true),
  }),
  'working-set-near-limit/near': (e: NearLimitEvidence) => ({
    title: `Working set near the limit (${pct(e.peakShare)})`,
    message: nearLimitMessage(e),
  }),
  'working-set-near-limit/at-limit': (e: NearLimitEvidence) => ({
    title: `Working set at the limit (${pct(e.peakShare)})`,
    message: `${nearLimitMessage(e)} At the limit, reclaim has only active file cache left to take; the next allocation that does not fit runs the OOM killer.`,
  }),
  'active-file-in-working-set/inflated': (e: {
    activeFileBytes: number;
    workingSetBytes: number;
    share: number;
    withoutBytes: number;
    at: number;
    limitBytes?: number;
    samples: number;
    totalSamples: number;
    estimated?: number;
  }) => ({
    title: `Working set inflated by ${e.estimated ? 'active file cache or tmpfs' : 'active file cache'}`,
    message:
      `At ${formatTime(e.at)} the working set was ${b(e.workingSetBytes)}${limitPart(e.workingSetBytes, e.limitBytes)}, ` +
      `of which ${b(e.activeFileBytes)} (${pct(e.share)}) was ${e.estimated ? 'active file cache or shmem/tmpfs (estimated as cache − (usage − working set): cAdvisor exports no shmem, so the two cannot be told apart; shmem would not be reclaimable)' : 'active file cache: files read more than once'}. ` +
      `Without it the working set would be ${b(e.withoutBytes)}${limitPart(e.withoutBytes, e.limitBytes)}. ` +
      `${e.samples} of ${e.totalSamples} samples look like this. Active file cache is reclaimable, but the kubelet's eviction and \`kubectl top\` count it (kubernetes/kubernetes#43916).`,
  }),
  'shmem-not-reclaimable/shmem': (e: {
    shmemBytes: number;
    cacheBytes?: number;
    workingSetBytes?: number;
    shareOfWorkingSet?: number;
    limitBytes?: number;
    shareOfLimit?: number;
    at: number;
    /** shmem held on after this many OOM kills. */
    keptAfterKills?: number;
  }) => ({
    title: `${b(e.shmemBytes)} of tmpfs/shmem${e.shareOfLimit !== undefined ? ` (${pct(e.shareOfLimit)} of the limit)` : ''}`,
    message:
      `At ${formatTime(e.at)} this container held ${b(e.shmemBytes)} of tmpfs/shmem (emptyDir {medium: Memory}, /dev/shm)` +
      `${e.shareOfWorkingSet !== undefined ? `, ${pct(e.shareOfWorkingSet)} of its working set` : ''}${limitPart(e.shmemBytes, e.limitBytes)}. ` +
      `container_memory_cache counts it${e.cacheBytes !== undefined ? ` (${b(e.cacheBytes)})` : ''} as if it were page cache, but it lives on the anon lists: ` +
      'the kernel cannot reclaim it without swap, it is always inside the working set, and it survives container restarts until the files are deleted.' +
      (e.keptAfterKills
        ? ` It stayed after ${plural(e.keptAfterKills, 'OOM kill')}: killing processes does not free it.`
        : ''),
  }),
  'anon-growth/growing': (e: AnonGrowthEvidence) => ({
    title: `Anon memory growing ${b(e.slopeBytesPerHour)}/h`,
    message:
      `Anonymous memory grew steadily from ${b(e.fromBytes)} to ${b(e.toBytes)} over ${formatDuration(e.durationMs)} from ${formatTime(e.from)} ` +
      `(${b(e.slopeBytesPerHour)} an hour; a straight line explains ${pct(e.r2)} of the ${e.envelope ? 'post-GC minima' : 'samples'}, ${e.samples} samples). ` +
      (e.unlimited
        ? 'There is no limit: it grows until the node runs short. '
        : e.timeToLimitMs !== undefined
          ? `At this rate it fills the remaining ${b(e.headroomBytes)} below the ${b(e.limitBytes)} limit in about ${formatDuration(e.timeToLimitMs)}. `
          : '') +
      (e.earlierGrowing
        ? `It grew the same way before ${plural(e.earlierGrowing, 'earlier kill or restart', 'earlier kills or restarts')}. `
        : '') +
      'Steady growth that no GC gives back is the signature of a leak; a higher limit only delays the kill.',
  }),
  'no-limit/unlimited': (e: {
    peakUsageBytes?: number;
    peakWorkingSetBytes?: number;
    peakAnonBytes?: number;
    /** The nearest limit above it: the pod's, the QoS class's or the node's allocatable. */
    boundBytes?: number;
    bound?: string;
    otherContainers: number;
    otherWorkingSetBytes?: number;
  }) => ({
    title: 'No memory limit',
    message:
      `This container has no memory limit; its working set peaked at ${b(e.peakWorkingSetBytes)} (usage ${b(e.peakUsageBytes)}${e.peakAnonBytes !== undefined ? `, anon ${b(e.peakAnonBytes)}` : ''}). ` +
      (e.boundBytes !== undefined
        ? `Only the ${e.bound} limit of ${b(e.boundBytes)} stops it. `
        : 'Nothing in this data stops it below the node’s memory. ') +
      (e.otherContainers
        ? `If it grows, the node's ${plural(e.otherContainers, 'other container')} (working sets ${b(e.otherWorkingSetBytes)} at their peaks) pay through eviction or the node-wide OOM killer, which may pick any of them. `
        : '') +
      'Set a limit (see the recommended limit) so its own cgroup takes the kill.',
  }),
  'inconsistent-metrics/usage-below-working-set': (e: InconsistencyEvidence) => ({
    title: 'Working set above usage',
    message: `In ${e.samples} of ${e.totalSamples} samples the working set was larger than usage (by up to ${b(e.differenceBytes)} at ${formatTime(e.at ?? Number.NaN)}), which cAdvisor's formula (usage − inactive file) cannot produce. The two series come from different scrapes or sources; do not compare them sample by sample.`,
  }),
  'inconsistent-metrics/working-set-formula': (e: InconsistencyEvidence) => ({
    title: 'Working set does not match usage − inactive file',
    message: `In ${e.samples} of ${e.totalSamples} samples the reported working set (${b(e.reportedBytes)} at ${formatTime(e.at ?? Number.NaN)}) differs from usage − inactive file (${b(e.expectedBytes)}) by ${b(e.differenceBytes)}. The exporter computes it differently or the series were scraped at different times.`,
  }),
  'inconsistent-metrics/usage-vs-stat': (e: InconsistencyEvidence) => ({
    title: 'memory.usage_in_bytes far from memory.stat',
    message: `In ${e.samples} of ${e.totalSamples} samples cgroup v1 usage_in_bytes (${b(e.reportedBytes)} at ${formatTime(e.at ?? Number.NaN)}) differs from rss + cache + kernel in memory.stat (${b(e.expectedBytes)}) by ${b(e.differenceBytes)} (${pct(e.share)}). usage_in_bytes is a "fuzz" value (kernel doc, cgroup-v1/memory.rst §5.5); trust memory.stat.`,
  }),
  'inconsistent-metrics/gaps': (e: {
    gaps: number;
    missingMs: number;
    longestMs: number;
    longestFrom: number;
    stepMs: number;
    spanMs: number;
  }) => ({
    title: `${plural(e.gaps, 'gap')} in the data`,
    message: `The series has ${plural(e.gaps, 'gap')} longer than three times its usual ${formatDuration(e.stepMs)} step, ${formatDuration(e.missingMs)} of ${formatDuration(e.spanMs)} in all; the longest is ${formatDuration(e.longestMs)} from ${formatTime(e.longestFrom)}. A peak or a kill inside a gap is invisible.`,
  }),
  'inconsistent-metrics/counter-resets': (e: { resets: number; counters: string; instances: number }) => ({
    title: 'Counters went back to zero',
    message: `Counters went back to zero (${e.counters}) more often than the ${plural(Math.max(0, e.instances - 1), 'restart')} the container IDs show: the exporter (cAdvisor, kube-state-metrics) restarted, or the pod was recreated under the same name. memlens added the counts across the resets; events right at a reset may be lost.`,
  }),
  'inconsistent-metrics/duplicated-series': (e: {
    duplicates: number;
    conflicts: number;
    totalSamples: number;
  }) => ({
    title: 'Duplicated series',
    message: `The same container had two samples at the same time in ${e.duplicates + e.conflicts} of ${e.totalSamples} samples${e.conflicts ? `, ${e.conflicts} of them with different values (the first input's value was kept)` : ' with equal values'}. Two scrape jobs or HA replicas export it; deduplicate before summing or averaging.`,
  }),
} as const;

export type FindingCode = keyof typeof MESSAGES;
export type FindingEvidence<C extends FindingCode> = Parameters<(typeof MESSAGES)[C]>[0];

export function findingText<C extends FindingCode>(
  code: C,
  evidence: FindingEvidence<C>,
): { title: string; message: string } {
  return (MESSAGES[code] as (e: FindingEvidence<C>) => { title: string; message: string })(evidence);
}

/**
 * The clause each finding adds to a container's narrative: a verb phrase that follows "it"
 * ("was OOM-killed …"). Times are given by the narrative, numbers here.
 */
export const CLAUSES: { [C in FindingCode]: (e: FindingEvidence<C>) => string } = {
  'oom-kill/killed': (e) =>
    `${e.weak ? `was possibly OOM-killed (${weakKillWhy(e)})` : `was OOM-killed${times(e.kills)}`}${
      e.nodeWide ? ' by the node-wide OOM killer' : ''
    }${e.cause && e.cause !== 'unknown' && e.causeBytes !== undefined ? `: ${CAUSE[e.cause]?.short ?? e.cause} (${b(e.causeBytes)}) had filled ${e.limitBytes !== undefined ? `the ${b(e.limitBytes)} limit` : 'its memory'}` : ''}`,
  'oom-kill/before-window': (e) => `had already been OOM-killed${times(e.kills)} before the data starts`,
  'oom-kill/untimed': (e) => `was OOM-killed${times(e.kills)} at a time the data does not give`,
  'cache-inflated-usage/inflated': (e) =>
    `showed usage inflated by ${b(e.inactiveFileBytes)} of inactive file cache${e.falseAlertSamples ? `, enough to fire a false ${pct(e.alertShare)} usage alert` : ''}`,
  'usage-pinned-by-cache/pinned': (e) =>
    `kept usage pinned at ${pct(e.usageShare)} of the limit with file cache (working set ${pct(e.workingSetShare)}), harmlessly`,
  'usage-pinned-by-cache/thrashing': (e) =>
    `kept usage pinned at the limit with file cache it kept re-reading from disk (thrashing: ${turnover(e.refaultShareOfCachePerMin)})`,
  'working-set-near-limit/near': (e) => `ran its working set at up to ${pct(e.peakShare)} of the limit`,
  'working-set-near-limit/at-limit': (e) => `ran its working set at the limit (${pct(e.peakShare)})`,
  'active-file-in-working-set/inflated': (e) =>
    `counted ${b(e.activeFileBytes)} of ${e.estimated ? 'active file cache or tmpfs' : 'reclaimable active file cache'} in its working set (${pct(e.share)})`,
  'shmem-not-reclaimable/shmem': (e) => `held ${b(e.shmemBytes)} of tmpfs/shmem the kernel cannot reclaim`,
  'anon-growth/growing': (e) => `grew anon memory steadily by ${b(e.slopeBytesPerHour)}/h`,
  'no-limit/unlimited': (e) => `ran without a memory limit (working set peak ${b(e.peakWorkingSetBytes)})`,
  'inconsistent-metrics/usage-below-working-set': () =>
    'reported a working set above usage (inconsistent data)',
  'inconsistent-metrics/working-set-formula': () =>
    'reported a working set that does not match usage − inactive file',
  'inconsistent-metrics/usage-vs-stat': () => 'reported usage_in_bytes far from memory.stat',
  'inconsistent-metrics/gaps': (e) =>
    `had ${plural(e.gaps, 'gap')} in its data (${formatDuration(e.missingMs)} missing)`,
  'inconsistent-metrics/counter-resets': (e) => `had ${plural(e.resets, 'counter reset')} in its data`,
  'inconsistent-metrics/duplicated-series': () => 'was exported twice (duplicated series)',
};

export function findingClause<C extends FindingCode>(code: C, evidence: FindingEvidence<C>): string {
  return (CLAUSES[code] as (e: FindingEvidence<C>) => string)(evidence);
}

/** The sentences around the clauses of a narrative. */
export const NARRATIVE = {
  opening: (e: {
    key: string;
    limitBytes?: number;
    unlimited: boolean;
    from: string;
    to: string;
    spanMs: number;
  }) =>
    `${e.key} (${e.unlimited ? 'no limit' : e.limitBytes !== undefined ? `limit ${b(e.limitBytes)}` : 'limit unknown'}), observed ${e.from} – ${e.to} (${formatDuration(e.spanMs)}):`,
  noSamples: (key: string) =>
    `${key}: no sample of it could be used (the input's warnings say why), so there is nothing to judge.`,
  quiet: (e: { peakWorkingSetBytes?: number; limitBytes?: number; unlimited?: boolean }) =>
    e.peakWorkingSetBytes === undefined
      ? 'nothing to act on in what the data holds, but its working set is not in it (nor usage and inactive file to derive it from), so its headroom cannot be judged; include container_memory_working_set_bytes in the export.'
      : e.limitBytes === undefined && !e.unlimited
        ? `nothing to act on in what the data holds; the working set peaked at ${b(e.peakWorkingSetBytes)}, but its limit is not in the data, so its headroom cannot be judged; include container_spec_memory_limit_bytes (or kube_pod_container_resource_limits) in the export.`
        : `nothing to act on; the working set peaked at ${b(e.peakWorkingSetBytes)}${limitPart(e.peakWorkingSetBytes, e.limitBytes)}.`,
  at: (when: string, clause: string) => `At ${when} it ${clause}.`,
  between: (from: string, to: string, clause: string) => `From ${from} to ${to} it ${clause}.`,
  untimed: (clause: string) => `It ${clause}.`,
  recommend: (e: {
    recommendedBytes: number;
    limitBytes?: number;
    unlimited: boolean;
    basis: string;
    change: 'raise' | 'lower' | 'keep' | 'set' | 'hold';
    spanMs: number;
  }) => {
    switch (e.change) {
      case 'set':
        return e.unlimited
          ? `Recommended limit: ${b(e.recommendedBytes)} (it has none; ${e.basis}).`
          : `Recommended limit: ${b(e.recommendedBytes)} (its limit is not in this data; ${e.basis}).`;
      case 'keep':
        return `Recommended limit: ${b(e.recommendedBytes)}; the current ${b(e.limitBytes)} is close enough (${e.basis}).`;
      case 'hold':
        return `The data points to ${b(e.recommendedBytes)} (${e.basis}), below the current ${b(e.limitBytes)}, but covers only ${formatDuration(e.spanMs)}: peaks outside it are unknown, so keep the limit until a longer window confirms it.`;
      default:
        return `Recommended limit: ${b(e.recommendedBytes)}, ${e.change === 'raise' ? 'up' : 'down'} from ${b(e.limitBytes)} (${e.basis}).`;
    }
  },
  leakCaveat: 'Anon memory grows steadily: a higher limit only delays the next kill; find the leak.',
};

/** How the recommended limit was reached, in words (src/verdict/recommend.ts). */
export const RECOMMEND_BASIS = {
  nonReclaimable: (e: { bytes: number; headroom: number }) =>
    `peak anon + shmem + kernel ${b(e.bytes)} + ${pct(e.headroom)}`,
  workingSet: (e: { bytes: number; headroom: number }) =>
    `peak working set ${b(e.bytes)} + ${pct(e.headroom)}`,
  oomBump: (e: { limitBytes: number; ratio: number }) =>
    `OOM-killed at ${b(e.limitBytes)}, so at least ${pct(e.ratio - 1)} more`,
  thrashing: (e: { limitBytes: number }) =>
    `its file cache thrashes at ${b(e.limitBytes)}: a smaller limit would make it worse`,
};
