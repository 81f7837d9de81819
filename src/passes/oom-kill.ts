import { finiteLimit, known, lastKnownAt } from '../util/series.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

/**
 * Each increase of a container's OOM-kill counter (memory.oom_control oom_kill on v1,
 * memory.events oom_kill on v2), with the memory composition in the last sample before it.
 */
export default definePass({
  id: 'oom-kill',
  title: 'Containers killed by the OOM killer',
  description:
    'An OOM kill is the kernel ending a process because the cgroup reached its limit and reclaim could not free enough. ' +
    'Knowing what the memory was made of just before (anon, file cache, tmpfs, kernel) tells you whether to raise the limit, fix a leak, or clean up tmpfs.',
  requires: ['oomKills'],
  options: {
    reportBeforeWindow: {
      default: true,
      reason:
        'A counter that is already above zero in the first sample means kills happened before the data starts; the kill that prompted the capture is often one of them.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const kills = s.col('oomKills')!;
      const cols = {
        usage: s.col('usage'),
        ws: s.col('workingSet'),
        rss: s.col('rss'),
        cache: s.col('cache'),
        shmem: s.col('shmem'),
        kernel: s.col('kernel'),
        limit: s.col('limit'),
      };
      let prev = -1;
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(kills[i])) continue;
        if (prev < 0) {
          prev = i;
          if (kills[i] > 0 && options.reportBeforeWindow) {
            out.push({
              code: 'oom-kill/before-window',
              severity: 'critical',
              entity: s.entity,
              evidence: { kills: kills[i], firstSampleAt: s.t[i], limitBytes: finiteLimit(cols.limit?.[i]) },
              from: s.t[i],
              to: s.t[i],
            });
          }
          continue;
        }
        const delta = kills[i] - kills[prev];
        if (delta > 0) {
          // Composition from the last sample before the kill that has usage (the kill's cause).
          const j = cols.usage ? lastKnownAt(cols.usage, prev) : -1;
          const at = (c: Float64Array | undefined) => (j >= 0 && c ? known(c[j]) : undefined);
          out.push({
            code: 'oom-kill/killed',
            severity: 'critical',
            entity: s.entity,
            evidence: {
              kills: delta,
              intervalMs: s.t[i] - s.t[prev],
              lastSampleAt: j >= 0 ? s.t[j] : undefined,
              usageBytes: at(cols.usage),
              workingSetBytes: at(cols.ws),
              rssBytes: at(cols.rss),
              cacheBytes: at(cols.cache),
              shmemBytes: at(cols.shmem),
              kernelBytes: at(cols.kernel),
              limitBytes: finiteLimit(at(cols.limit)),
            },
            from: s.t[prev],
            to: s.t[i],
          });
        }
        prev = i;
      }
    }
    return out;
  },
});
