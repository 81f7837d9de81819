/**
 * Every sentence memlens writes about a finding, in one place. Passes return codes and numbers;
 * this file turns them into a title and a message. Renderers never compose finding text.
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
  limitBytes?: number;
}): string {
  const parts = [`usage ${b(e.usageBytes)}${limitPart(e.usageBytes, e.limitBytes)}`];
  if (e.rssBytes !== undefined) parts.push(`anon ${b(e.rssBytes)}`);
  if (e.cacheBytes !== undefined) parts.push(`file cache ${b(e.cacheBytes)}`);
  if (e.shmemBytes !== undefined) parts.push(`of which shmem/tmpfs ${b(e.shmemBytes)}`);
  if (e.kernelBytes !== undefined) parts.push(`kernel ${b(e.kernelBytes)}`);
  return parts.join(', ');
}

export const MESSAGES = {
  'oom-kill/killed': (e: {
    kills: number;
    lastSampleAt?: number;
    usageBytes?: number;
    workingSetBytes?: number;
    rssBytes?: number;
    cacheBytes?: number;
    shmemBytes?: number;
    kernelBytes?: number;
    limitBytes?: number;
    intervalMs: number;
  }) => ({
    title: `OOM-killed${e.kills > 1 ? ` ${e.kills}×` : ''}`,
    message:
      `The kernel OOM killer killed ${e.kills} process${e.kills > 1 ? 'es' : ''} of this container within ${formatDuration(e.intervalMs)}.` +
      (e.lastSampleAt !== undefined
        ? ` In the last sample before (${formatTime(e.lastSampleAt)}): ${composition(e)}.`
        : ''),
  }),
  'oom-kill/before-window': (e: { kills: number; firstSampleAt: number; limitBytes?: number }) => ({
    title: `OOM-killed ${e.kills}× before the window`,
    message: `The cgroup's OOM-kill counter already stood at ${e.kills} in the first sample (${formatTime(e.firstSampleAt)}): processes were killed before the data starts, so their memory composition is unknown.`,
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
  }) => ({
    title: 'Usage inflated by file cache',
    message:
      `Usage overstates the memory this container needs: at ${formatTime(e.at)} usage was ${b(e.usageBytes)}${limitPart(e.usageBytes, e.limitBytes)} ` +
      `but the working set only ${b(e.workingSetBytes)}${limitPart(e.workingSetBytes, e.limitBytes)}; ` +
      `${b(e.inactiveFileBytes)} (${pct(e.share)} of usage) is inactive file cache, which the kernel reclaims first. ` +
      `${e.samples} of ${e.totalSamples} samples look like this. Alerts on container_memory_usage_bytes are false alarms here; watch the working set.`,
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
