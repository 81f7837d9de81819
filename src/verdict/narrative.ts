import type { FindingCode, FindingEvidence } from '../messages.js';
import { findingClause, NARRATIVE } from '../messages.js';
import type { Entity } from '../model/model.js';
import { formatTime, iso } from '../util/time.js';
import type { Recommendation } from './recommend.js';

/** What the narrative needs of a finding (a subset of result.ts's Finding). */
export interface NarrativeFinding {
  code: FindingCode;
  entity: Entity;
  evidence: unknown;
  from: number;
  to: number;
}

export interface NarrativeInput {
  entity: Entity;
  limitBytes: number | null;
  unlimited: boolean;
  peakWorkingSetBytes: number | null;
  /** The container's first and last sample, epoch ms. */
  start: number;
  end: number;
  recommendation?: Recommendation;
  /** The drafts' evidence, with words (strings) that findings.json leaves out. */
  findings: NarrativeFinding[];
}

/**
 * One paragraph per container: who it is and what window the data covers, then each finding as
 * a dated sentence in time order, then the recommended limit against the current one.
 */
export function narrativeOf(n: NarrativeInput): string {
  // A container whose every sample was skipped as damaged has no window to speak of.
  if (!(Number.isFinite(n.start) && Number.isFinite(n.end)) || iso(n.start) === null || iso(n.end) === null)
    return NARRATIVE.noSamples(n.entity.key);
  const day = (ms: number) => iso(ms)?.slice(0, 10);
  // Within one UTC day the date is said once, in the opening.
  const when = (ms: number) =>
    day(ms) !== undefined && day(ms) === day(n.start) ? `${iso(ms)!.slice(11, 19)} UTC` : formatTime(ms);
  const out: string[] = [
    NARRATIVE.opening({
      key: n.entity.key,
      limitBytes: n.limitBytes ?? undefined,
      unlimited: n.unlimited,
      from: formatTime(n.start),
      to: when(n.end),
      spanMs: n.end - n.start,
    }),
  ];
  const own = n.findings.filter((f) => f.entity === n.entity).sort((a, b) => a.from - b.from);
  if (own.length === 0)
    out.push(
      NARRATIVE.quiet({
        peakWorkingSetBytes: n.peakWorkingSetBytes ?? undefined,
        limitBytes: n.limitBytes ?? undefined,
        unlimited: n.unlimited,
      }),
    );
  for (const f of own) {
    const clause = findingClause(f.code, f.evidence as FindingEvidence<typeof f.code>);
    if (f.code === 'oom-kill/untimed') out.push(NARRATIVE.untimed(clause));
    else if (f.to - f.from < 1000) out.push(NARRATIVE.at(when(f.from), clause));
    else out.push(NARRATIVE.between(when(f.from), when(f.to), clause));
  }
  const r = n.recommendation;
  if (r) {
    out.push(
      NARRATIVE.recommend({
        recommendedBytes: r.limitBytes,
        limitBytes: n.limitBytes ?? undefined,
        unlimited: n.unlimited,
        basis: r.basis,
        change: r.change,
        spanMs: n.end - n.start,
      }),
    );
  }
  if (own.some((f) => f.code === 'anon-growth/growing')) out.push(NARRATIVE.leakCaveat);
  return out.join(' ');
}
