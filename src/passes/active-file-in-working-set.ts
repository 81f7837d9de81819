import { finiteLimit } from '../util/series.js';
import { activeFileReader } from './lib/parts.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

/**
 * The working set counts active file cache: a file read twice moves from the inactive to the
 * active list and from then on counts as "in use", though the kernel can still reclaim it.
 */
export default definePass({
  id: 'active-file-in-working-set',
  title: 'Working set inflated by active file cache',
  description:
    'The working set (what kubelet eviction and `kubectl top` see) subtracts only the inactive file cache. A file read twice is promoted to the active list and counts in full, ' +
    'so a container that re-reads its data looks bigger than the memory it cannot give back (kubernetes/kubernetes#43916).',
  checks:
    'Flags a container whose active file cache is at least minShare of its working set and at least minBytes, at the sample where it was largest, ' +
    'with what the working set would be without it. From Prometheus data without container_memory_total_active_file_bytes it uses cache − (usage − working set), which also holds any shmem, and says so.',
  limitations: [
    'Active file cache is reclaimable only after the kernel demotes it to the inactive list; under sudden pressure part of it still counts when the OOM killer runs.',
    'From Prometheus data the estimate cannot separate active file from shmem/tmpfs, which is not reclaimable: a tmpfs-heavy container looks the same.',
  ],
  requires: ['workingSet'],
  requiresAny: ['activeFile', 'cache'],
  options: {
    minShare: {
      default: 0.25,
      reason:
        'A quarter of the working set is enough to move it across an eviction or a 90 % alert line; below that it is the usual binaries and libraries.',
    },
    minBytes: {
      default: 16 * 1024 * 1024,
      reason:
        'A runtime’s own binaries and libraries are active file of a few MiB in any container; 16 MiB is beyond that.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      let best = -1;
      let bestBytes = 0;
      let samples = 0;
      let total = 0;
      let estimated = false;
      let first = -1;
      let last = -1;
      const wsCol = s.col('workingSet')!;
      const activeFile = activeFileReader(s);
      for (let i = 0; i < s.length; i++) {
        const ws = wsCol[i];
        if (Number.isNaN(ws) || ws <= 0) continue;
        // The measured column when there is one; else the estimate that includes shmem.
        const active = activeFile.at(i);
        if (active === undefined) continue;
        total++;
        if (active < options.minBytes || active / ws < options.minShare) continue;
        samples++;
        if (first < 0) first = i;
        last = i;
        if (active > bestBytes) {
          best = i;
          bestBytes = active;
          estimated = !activeFile.measured(i);
        }
      }
      if (best < 0) continue;
      const ws = s.col('workingSet')![best];
      out.push({
        code: 'active-file-in-working-set/inflated',
        severity: 'info',
        entity: s.entity,
        evidence: {
          activeFileBytes: bestBytes,
          workingSetBytes: ws,
          share: bestBytes / ws,
          withoutBytes: ws - bestBytes,
          at: s.t[best],
          limitBytes: finiteLimit(s.col('limit')?.[best]),
          samples,
          totalSamples: total,
          estimated: estimated ? 1 : undefined,
        },
        from: s.t[first],
        to: s.t[last],
      });
    }
    return out;
  },
});
