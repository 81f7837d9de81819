import type { InconsistencyEvidence } from '../messages.js';
import type { Series } from '../model/model.js';
import { median } from '../util/fit.js';
import type { FindingDraft, Severity } from './types.js';
import { definePass } from './types.js';

/**
 * Data that should not be trusted sample by sample: series that contradict each other, holes,
 * counters that restarted, the same container exported twice. The other passes' numbers rest on
 * these series; this pass says when they are shaky.
 */
export default definePass({
  id: 'inconsistent-metrics',
  title: 'Metrics you should not trust',
  description:
    'Every verdict rests on the series being what they claim. A working set above usage, a working set that is not usage − inactive file, a v1 usage far from memory.stat, ' +
    'gaps, counters that restart and duplicated series each mean some numbers in this report are off, and say which.',
  checks:
    'Flags, per container: working set above usage; a measured working set ≠ max(0, usage − inactive file) (beyond formulaToleranceBytes); cgroup v1 usage_in_bytes off from rss + cache + kernel by more than statToleranceShare and statToleranceBytes — ' +
    'each in at least minSampleShare of the samples; gaps longer than gapFactor × the usual step; counter resets beyond the restarts the container IDs show; and duplicated series.',
  limitations: [
    'A working set derived by memlens from cgroup files is consistent by construction: the formula check needs an exported working set and an exported inactive file.',
    'A restarted container’s series has a gap while it was down: real, and reported as a gap.',
  ],
  requires: [],
  options: {
    minSampleShare: {
      default: 0.1,
      reason: 'A few odd samples are scrape jitter; a tenth of them means the series disagree.',
    },
    formulaToleranceBytes: {
      default: 1024 * 1024,
      reason:
        'cAdvisor computes the working set from the same read as usage and inactive file, so they agree to the byte; 1 MiB allows for exports rounded to MB.',
    },
    statToleranceShare: {
      default: 0.1,
      reason:
        'usage_in_bytes runs ahead of memory.stat by the per-CPU charge batches and lags its 2 s stat flush; beyond 10 % it is more than fuzz.',
    },
    statToleranceBytes: {
      default: 16 * 1024 * 1024,
      reason: 'Per-CPU charge batches are 64 pages per CPU: 16 MiB on a 64-CPU node.',
    },
    gapFactor: {
      default: 3,
      reason: 'One missed scrape doubles the step; three steps without data is a hole, not jitter.',
    },
  },
  run({ containers, options }) {
    const out: FindingDraft[] = [];
    for (const s of containers) {
      const push = (
        code: FindingDraft['code'],
        severity: Severity,
        evidence: FindingDraft['evidence'],
        from: number,
        to: number,
      ) => out.push({ code, severity, entity: s.entity, evidence, from, to } as FindingDraft);
      const total = knownCount(s);
      const usage = s.col('usage');
      const ws = s.col('workingSet');
      const inactive = s.col('inactiveFile');
      const stat = s.col('statUsage');
      const kernel = s.col('kernel');
      const minSamples = Math.max(1, Math.ceil(options.minSampleShare * total));

      // 1. Working set above usage.
      const above = compare(s, (i) => {
        const u = usage?.[i];
        const w = ws?.[i];
        if (u === undefined || w === undefined || Number.isNaN(u) || Number.isNaN(w)) return undefined;
        const tol = Math.max(options.formulaToleranceBytes, 0.01 * u);
        return w - u > tol ? { reported: w, expected: u } : null;
      });
      if (above && above.samples >= minSamples)
        push(
          'inconsistent-metrics/usage-below-working-set',
          'warning',
          { ...above.evidence, totalSamples: total },
          above.from,
          above.to,
        );

      // 2. Exported working set against usage − exported inactive file.
      const p = s.entity.provenance;
      if (p.workingSet === 'measured' && p.inactiveFile === 'measured' && p.usage === 'measured') {
        const off = compare(s, (i) => {
          const u = usage![i];
          const w = ws![i];
          const inf = inactive![i];
          if (Number.isNaN(u) || Number.isNaN(w) || Number.isNaN(inf)) return undefined;
          const expected = Math.max(0, u - inf);
          return Math.abs(w - expected) > options.formulaToleranceBytes ? { reported: w, expected } : null;
        });
        if (off && off.samples >= minSamples)
          push(
            'inconsistent-metrics/working-set-formula',
            'warning',
            { ...off.evidence, totalSamples: total },
            off.from,
            off.to,
          );
      }

      // 3. cgroup v1 usage_in_bytes against memory.stat (+ kernel memory, which usage also counts).
      if (s.has('statUsage')) {
        const off = compare(s, (i) => {
          const u = usage?.[i];
          const st = stat![i];
          if (u === undefined || Number.isNaN(u) || Number.isNaN(st)) return undefined;
          const k = kernel?.[i];
          const expected = st + (k === undefined || Number.isNaN(k) ? 0 : k);
          const d = Math.abs(u - expected);
          return d > options.statToleranceBytes && d > options.statToleranceShare * Math.max(u, expected)
            ? { reported: u, expected }
            : null;
        });
        if (off && off.samples >= minSamples)
          push(
            'inconsistent-metrics/usage-vs-stat',
            'info',
            { ...off.evidence, totalSamples: total },
            off.from,
            off.to,
          );
      }

      // 4. Gaps.
      const gaps = gapsOf(s, options.gapFactor);
      if (gaps) push('inconsistent-metrics/gaps', 'info', gaps.evidence, gaps.from, gaps.to);

      // 5. Counter resets beyond the restarts the container IDs explain.
      const q = s.entity.quality;
      const resets = q ? Math.max(0, ...Object.values(q.counterResets).map((n) => n ?? 0)) : 0;
      const instances = Math.max(1, s.entity.containerIds.length);
      if (q && resets > instances - 1)
        push(
          'inconsistent-metrics/counter-resets',
          'info',
          {
            resets,
            counters: Object.entries(q.counterResets)
              .map(([k, n]) => `${k} ${n}×`)
              .join(', '),
            instances,
          },
          s.t[0],
          s.t[s.length - 1],
        );

      // 6. Duplicated series.
      if (q && q.duplicateSamples + q.conflictingSamples > 0)
        push(
          'inconsistent-metrics/duplicated-series',
          q.conflictingSamples ? 'warning' : 'info',
          { duplicates: q.duplicateSamples, conflicts: q.conflictingSamples, totalSamples: s.length },
          s.t[0],
          s.t[s.length - 1],
        );
    }
    return out;
  },
});

function knownCount(s: Series): number {
  const u = s.col('usage') ?? s.col('workingSet');
  if (!u) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!Number.isNaN(u[i])) n++;
  return n;
}

/** Samples where `check` finds a discrepancy, with the largest one. */
function compare(
  s: Series,
  check: (i: number) => { reported: number; expected: number } | null | undefined,
):
  | { samples: number; evidence: Omit<InconsistencyEvidence, 'totalSamples'>; from: number; to: number }
  | undefined {
  let samples = 0;
  let worst = -1;
  let worstD = -1;
  let worstV: { reported: number; expected: number } | undefined;
  let first = -1;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    const v = check(i);
    if (!v) continue;
    samples++;
    if (first < 0) first = i;
    last = i;
    const d = Math.abs(v.reported - v.expected);
    if (d > worstD) {
      worst = i;
      worstD = d;
      worstV = v;
    }
  }
  if (!worstV) return undefined;
  return {
    samples,
    evidence: {
      samples,
      at: s.t[worst],
      reportedBytes: worstV.reported,
      expectedBytes: worstV.expected,
      differenceBytes: worstD,
      share: worstD / Math.max(worstV.reported, worstV.expected, 1),
    },
    from: s.t[first],
    to: s.t[last],
  };
}

function gapsOf(s: Series, factor: number) {
  if (s.length < 3) return undefined;
  const steps: number[] = [];
  for (let i = 1; i < s.length; i++) steps.push(s.t[i] - s.t[i - 1]);
  const step = median(steps);
  if (!(step > 0)) return undefined;
  let gaps = 0;
  let missing = 0;
  let longest = -1;
  for (let i = 1; i < s.length; i++) {
    const d = s.t[i] - s.t[i - 1];
    if (d <= factor * step) continue;
    gaps++;
    missing += d - step;
    if (longest < 0 || d > s.t[longest] - s.t[longest - 1]) longest = i;
  }
  if (!gaps) return undefined;
  return {
    evidence: {
      gaps,
      missingMs: missing,
      longestMs: s.t[longest] - s.t[longest - 1],
      longestFrom: s.t[longest - 1],
      stepMs: step,
      spanMs: s.t[s.length - 1] - s.t[0],
    },
    from: s.t[longest - 1],
    to: s.t[longest],
  };
}
