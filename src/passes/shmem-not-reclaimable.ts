import { finiteLimit, known } from '../util/series.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

/**
 * tmpfs and shared memory counted as cache: container_memory_cache includes them, but they live
 * on the anon lists, cannot be reclaimed without swap, always count in the working set, and stay
 * charged after the processes that wrote them are gone.
 */
export default definePass({
  id: 'shmem-not-reclaimable',
  title: 'Cache that is really tmpfs/shmem',
  description:
    'emptyDir {medium: Memory}, /dev/shm and other tmpfs files are counted as page cache, so dashboards present them as reclaimable. They are not: without swap the kernel cannot drop them, ' +
    'killing or restarting the container does not free them, and a container that fills its tmpfs can be OOM-killed again right after each restart (kubernetes/kubernetes#128339).',
  checks:
    'Flags a container holding at least minBytes of shmem at its peak (info), or at least warnShareOfLimit of its limit (warning), ' +
    'and says when the shmem stayed after OOM kills. Needs the shmem line of memory.stat: from Prometheus data it is not applicable, because cAdvisor exports no shmem.',
  limitations: [
    'cgroup captures only: cAdvisor does not export shmem, and in Prometheus data tmpfs cannot be told apart from active file cache (active-file-in-working-set reports the two together as an estimate).',
    'The shmem is charged to the cgroup of the process that first wrote each page; files written by another container of the pod are counted there.',
  ],
  requires: ['shmem'],
  unavailable: {
    shmem:
      'cAdvisor does not export shmem; in Prometheus data tmpfs cannot be told apart from active file cache — active-file-in-working-set reports the two together, as an estimate',
  },
  options: {
    minBytes: {
      default: 16 * 1024 * 1024,
      reason:
        'A few MiB of shmem is normal (runtimes and databases use small shared segments); 16 MiB is a deliberate tmpfs or /dev/shm use.',
    },
    warnShareOfLimit: {
      default: 0.5,
      reason:
        'Half the limit held by memory that no restart frees leaves the process the other half, at best; the OOM killer cannot make room by killing it.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const shmem = s.col('shmem')!;
      const kills = s.col('oomKills');
      let peak = -1;
      let first = -1;
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(shmem[i]) || shmem[i] < options.minBytes) continue;
        if (first < 0) first = i;
        if (peak < 0 || shmem[i] > shmem[peak]) peak = i;
      }
      if (peak < 0) continue;
      const ws = known(s.col('workingSet')?.[peak]);
      const limit = finiteLimit(s.col('limit')?.[peak]);
      // Kills after which the shmem was still there (≥ 90 % of what it was before the kill).
      let keptAfterKills = 0;
      if (kills) {
        let prev = -1;
        for (let i = 0; i < s.length; i++) {
          if (Number.isNaN(kills[i])) continue;
          if (
            prev >= 0 &&
            kills[i] > kills[prev] &&
            shmem[prev] >= options.minBytes &&
            shmem[i] >= 0.9 * shmem[prev]
          )
            keptAfterKills += kills[i] - kills[prev];
          prev = i;
        }
      }
      const shareOfLimit = limit !== undefined ? shmem[peak] / limit : undefined;
      out.push({
        code: 'shmem-not-reclaimable/shmem',
        severity: shareOfLimit !== undefined && shareOfLimit >= options.warnShareOfLimit ? 'warning' : 'info',
        entity: s.entity,
        evidence: {
          shmemBytes: shmem[peak],
          cacheBytes: known(s.col('cache')?.[peak]),
          workingSetBytes: ws,
          shareOfWorkingSet: ws ? shmem[peak] / ws : undefined,
          limitBytes: limit,
          shareOfLimit,
          at: s.t[peak],
          keptAfterKills: keptAfterKills || undefined,
        },
        from: s.t[first],
        to: s.t[s.length - 1],
      });
    }
    return out;
  },
});
