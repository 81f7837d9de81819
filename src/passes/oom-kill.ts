import type { OomKillEvidence } from '../messages.js';
import { parsePath } from '../model/identity.js';
import { finiteLimit, known } from '../util/series.js';
import { oomCause } from './lib/oom-cause.js';
import type { KillEvent } from './lib/oom-evidence.js';
import { gatherKills, SOURCE_ORDER, WEAK_SOURCES } from './lib/oom-evidence.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

/**
 * Every OOM kill of a container, from every source that saw it (cgroup counter, kernel log,
 * Kubernetes, cAdvisor — lib/oom-evidence.ts), with what filled the limit just before.
 */
export default definePass({
  id: 'oom-kill',
  title: 'Containers killed by the OOM killer',
  description:
    'An OOM kill is the kernel ending a process because the cgroup reached its limit and reclaim could not free enough. ' +
    'Knowing what the memory was made of just before (anon, file cache, tmpfs, kernel) tells you whether to raise the limit, fix a leak, or clean up tmpfs.',
  checks:
    'Flags each OOM kill with its time, the sources that saw it, and its cause: the part of memory (anon, tmpfs/shmem, kernel, unwritten file cache) that filled the limit in the last samples before. ' +
    'A kill only cAdvisor counted, or only inferred from a restart right after the working set reached the limit, is a warning; every other kill is critical.',
  limitations: [
    'A kill between two samples is placed between them; a container that grows fast between samples shows a last sample well below the limit.',
    'The kernel log is placed on the clock with the boot time the capture records; on virtual machines that were suspended it can be off by the suspended time.',
    'kubectl and kube-state-metrics only keep the last termination: earlier OOM kills of a container restarted several times count only through restarts.',
    'On cgroup v1 the pod cgroup does not count kills of its containers, and a container cgroup removed after a kill takes its counter with it: the kernel log and Kubernetes are then the only witnesses.',
    'A restart is read as a possible kill only when the series name the instance (a container ID or cgroup label) and the working set before it was near the limit: a kill after a fast climb between two samples, or in data without container IDs, is not inferred.',
  ],
  requires: [],
  requiresAny: ['oomKills', 'lastTerminatedOom', 'oomEvents'],
  unavailable: {
    'oomKills or lastTerminatedOom or oomEvents':
      'cgroup captures count kills; from Prometheus, export kube_pod_container_status_last_terminated_reason and restarts from kube-state-metrics',
  },
  options: {
    reportBeforeWindow: {
      default: true as boolean,
      reason:
        'A counter that is already above zero in the first sample means kills happened before the data starts; the kill that prompted the capture is often one of them.',
    },
    causeLookbackSeconds: {
      default: 300,
      reason:
        'Five minutes holds the last climb of a leak at a 10–60 s scrape interval without reaching back into the previous restart.',
    },
    restartAtLimitShare: {
      default: 0.9,
      reason:
        'A container replaced while its working set was within 10 % of its limit (working-set-near-limit’s warning threshold) most likely reached it between samples: the OOM-killed containers recorded on this machine were at 98 % in their last sample. Below that, a restart is as likely a deploy, a crash or a failed probe.',
    },
    matchToleranceSeconds: {
      default: 5,
      reason:
        'kubectl times have one-second resolution and the kubelet sees an exit a few seconds late; kernel-log times drift from the wall clock by a second or two. Within 5 s two sources describe the same kill.',
    },
  },
  run({ containers, options, model }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const events = gatherKills(s, model, {
        toleranceMs: options.matchToleranceSeconds * 1000,
        restartShare: options.restartAtLimitShare,
        restartLookbackMs: options.causeLookbackSeconds * 1000,
      });
      const limit = s.col('limit');
      for (const ev of events) {
        const seen = SOURCE_ORDER.filter((x) => ev.seenBy.has(x));
        const sources = {
          seenBy: seen.join(','),
          sourceCgroup: ev.seenBy.has('cgroup') ? 1 : 0,
          sourceKernelLog: ev.seenBy.has('kernel-log') ? 1 : 0,
          sourceKubernetes: ev.seenBy.has('kubernetes') ? 1 : 0,
          sourceCadvisor: ev.seenBy.has('cadvisor') ? 1 : 0,
          sourceRestart: ev.seenBy.has('restart') ? 1 : 0,
          restarts: ev.restarts,
        };
        if (ev.beforeWindow) {
          if (!options.reportBeforeWindow) continue;
          out.push({
            code: 'oom-kill/before-window',
            // cAdvisor's counter alone proves no kill (google/cadvisor#3015), before the window either.
            severity: seen.every((x) => WEAK_SOURCES.has(x)) ? 'warning' : 'critical',
            entity: s.entity,
            evidence: {
              kills: ev.kills,
              firstSampleAt: s.t[0],
              limitBytes: finiteLimit(limit?.[0]),
              seenBy: sources.seenBy,
              restarts: ev.restarts,
            },
            from: s.t[0],
            to: s.t[0],
          });
          continue;
        }
        if (!ev.timeKnown) {
          out.push({
            code: 'oom-kill/untimed',
            severity: 'critical',
            entity: s.entity,
            evidence: {
              kills: ev.kills,
              seenBy: sources.seenBy,
              restarts: ev.restarts,
              ...victim(ev),
              why:
                ev.source === 'kernel-log'
                  ? 'the kernel log gives seconds since boot and the capture does not say when the node booted'
                  : 'Kubernetes reports the last termination as OOMKilled without its time',
            },
            from: ev.from,
            to: ev.to,
          });
          continue;
        }
        out.push({
          code: 'oom-kill/killed',
          severity: seen.every((x) => WEAK_SOURCES.has(x)) ? 'warning' : 'critical',
          entity: s.entity,
          evidence: killed(s, ev, options.causeLookbackSeconds * 1000, sources),
          from: ev.from,
          to: ev.to,
        });
      }
    }
    return out;
  },
});

function killed(
  s: Parameters<typeof oomCause>[0],
  ev: KillEvent,
  lookbackMs: number,
  sources: Partial<OomKillEvidence>,
): OomKillEvidence {
  const c = ev.before >= 0 ? oomCause(s, ev.before, lookbackMs) : undefined;
  const p = c?.parts;
  const k = ev.kernel;
  return {
    kills: ev.kills,
    ...sources,
    source: ev.source,
    weak: WEAK_SOURCES.has(ev.source) ? 1 : undefined,
    intervalMs: ev.to - ev.from,
    lastSampleAt: c && c.at >= 0 ? s.t[c.at] : undefined,
    usageBytes: p?.usage,
    workingSetBytes: p?.workingSet,
    rssBytes: p?.anon,
    cacheBytes: p?.cache,
    shmemBytes: p?.shmem,
    kernelBytes: p?.kernel,
    dirtyBytes: p?.dirty,
    limitBytes: p?.limit ?? finiteLimit(known(s.col('limit')?.[Math.max(0, ev.before)])),
    cause: c?.cause,
    causeBytes: c?.causeBytes,
    causeGrowthBytes: c?.growthBytes,
    causeGrowthMs: c?.growthMs,
    estimated: p?.estimated && (c?.cause === 'file-or-shmem' || p.shmem === undefined) ? 1 : undefined,
    ...victim(ev),
    nodeWide: k?.constraint === 'CONSTRAINT_NONE' ? 1 : undefined,
    podLimit: k?.oomCgroup && parsePath(k.oomCgroup).role === 'pod' ? 1 : undefined,
  };
}

function victim(ev: KillEvent) {
  const k = ev.kernel;
  return {
    task: k?.task,
    pid: k?.pid,
    victimAnonBytes: k?.anonRssBytes,
    victimShmemBytes: k?.shmemRssBytes,
    victimFileBytes: k?.fileRssBytes,
  };
}
