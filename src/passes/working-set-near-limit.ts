import type { NearLimitEvidence } from '../messages.js';
import { finiteLimit } from '../util/series.js';
import { partsAt } from './lib/parts.js';
import { runDuration, runsWhere } from './lib/runs.js';
import type { FindingDraft } from './types.js';
import { definePass } from './types.js';

/**
 * The working set close to the limit: the real risk. Reclaim can only take what is left of the
 * file cache (active file); anon and shmem stay. The kubelet evicts and `kubectl top` reports on
 * this number.
 */
export default definePass({
  id: 'working-set-near-limit',
  title: 'Working set near the limit',
  description:
    'The working set is the memory the kernel cannot drop cheaply, and what the kubelet, eviction and `kubectl top` watch. Near the limit, the next burst of allocations has nowhere to go but the OOM killer. ' +
    'How much of it is active file cache (reclaimable, but counted) or shmem (not reclaimable) says how close the kill really is.',
  checks:
    'Flags a container whose working set stays at or above warnShare of its limit for at least minSamples samples in a row (warning), or reaches criticalShare (critical), ' +
    'with the longest stretch, the peak, and what the working set was made of at the peak: anon, active file, shmem, kernel.',
  limitations: [
    'From Prometheus data active file and shmem come as one estimated sum (cache − (usage − working set)): cAdvisor exports no shmem.',
    'A container without a limit is no-limit’s case; a limit that changed during the window is compared sample by sample.',
  ],
  requires: ['workingSet', 'limit'],
  options: {
    warnShare: {
      default: 0.9,
      reason: 'At 90 % of the limit, a 10 % burst — a request spike, a GC cycle — reaches it.',
    },
    criticalShare: {
      default: 0.98,
      reason:
        'Within 2 % of the limit reclaim has only active file cache left to take; the OOM-killed containers recorded on this machine were at 98 % in their last sample before the kill.',
    },
    minSamples: {
      default: 2,
      reason:
        'One sample can be a momentary peak between two collections; two in a row show the working set stayed there.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const ws = s.col('workingSet')!;
      const limit = s.col('limit')!;
      const share = (i: number) => {
        const l = finiteLimit(limit[i]);
        return l === undefined || Number.isNaN(ws[i]) ? undefined : ws[i] / l;
      };
      const runs = runsWhere(s, (i) => {
        const v = share(i);
        return v === undefined ? undefined : v >= options.warnShare;
      });
      // A run qualifies by its length, or by touching the critical line at all.
      const hot = runs.filter((r) => {
        if (r.samples >= options.minSamples) return true;
        for (let i = r.start; i <= r.end; i++) if ((share(i) ?? 0) >= options.criticalShare) return true;
        return false;
      });
      if (hot.length === 0) continue;
      let peak = hot[0].start;
      for (const r of hot)
        for (let i = r.start; i <= r.end; i++) if ((share(i) ?? 0) > (share(peak) ?? 0)) peak = i;
      const longest = hot.reduce((a, r) =>
        runDuration(s, r) > runDuration(s, a) ||
        (runDuration(s, r) === runDuration(s, a) && r.samples > a.samples)
          ? r
          : a,
      );
      const p = partsAt(s, peak);
      let total = 0;
      for (let i = 0; i < s.length; i++) if (share(i) !== undefined) total++;
      const peakShare = share(peak)!;
      const evidence: NearLimitEvidence = {
        peakShare,
        workingSetBytes: ws[peak],
        limitBytes: limit[peak],
        at: s.t[peak],
        threshold: options.warnShare,
        durationMs: runDuration(s, longest),
        longestSamples: longest.samples,
        samples: hot.reduce((n, r) => n + r.samples, 0),
        totalSamples: total,
        anonBytes: p.anon,
        activeFileBytes: p.activeFile,
        shmemBytes: p.shmem,
        kernelBytes: p.kernel,
        activeOrShmemBytes: p.activeFile === undefined && p.shmem === undefined ? p.activeOrShmem : undefined,
        estimated: p.estimated ? 1 : undefined,
      };
      const critical = peakShare >= options.criticalShare;
      out.push({
        code: critical ? 'working-set-near-limit/at-limit' : 'working-set-near-limit/near',
        severity: critical ? 'critical' : 'warning',
        entity: s.entity,
        evidence,
        from: s.t[longest.start],
        to: s.t[longest.end],
      });
    }
    return out;
  },
});
