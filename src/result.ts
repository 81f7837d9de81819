import type { InputInfo } from './import/types.js';
import type { FindingCode } from './messages.js';
import { findingText } from './messages.js';
import type { Entity, MemModel } from './model/model.js';
import { seriesOf } from './model/model.js';
import { PASSES } from './passes/index.js';
import oomKill from './passes/oom-kill.js';
import type { PassStatus } from './passes/runner.js';
import type { ContainerSeverity, FindingDraft, Severity } from './passes/types.js';
import { SEVERITY_RANK } from './passes/types.js';
import { lastKnown, maxKnown } from './util/series.js';
import { iso } from './util/time.js';
import { narrativeOf } from './verdict/narrative.js';
import type { Recommendation, RecommendOptions } from './verdict/recommend.js';
import { RECOMMEND_DEFAULTS, recommendLimit } from './verdict/recommend.js';

/** Columns that count kills (the oom-kill pass's): without one, a container's kills are unknown. */
const KILL_SOURCES = oomKill.requiresAny ?? [];

export const SCHEMA = 'memlens/findings@1';

export interface Peaks {
  usageBytes: number | null;
  workingSetBytes: number | null;
  rssBytes: number | null;
  cacheBytes: number | null;
  activeFileBytes: number | null;
  inactiveFileBytes: number | null;
  shmemBytes: number | null;
}

/** One container's verdict: identity, limit, peaks, kills, severity. */
export interface ContainerSummary {
  entity: Entity;
  /** Last known finite limit; null when unlimited or unknown (see `unlimited`). */
  limitBytes: number | null;
  unlimited: boolean;
  /**
   * OOM kills every source agreed on (cgroup counter, kernel log, Kubernetes); null when the data
   * holds no kill counter or termination reason for it (a Grafana CSV of memory series): unknown,
   * not none.
   */
  oomKills: number | null;
  /** Kills only a weak source suggests: cAdvisor's counter alone, or a restart at the limit. */
  possibleOomKills: number;
  peak: Peaks;
  /** Share of usage that was inactive file cache at the moment of peak usage (null if unknown). */
  cacheShareAtPeak: number | null;
  recommendedLimitBytes: number | null;
  /** How the recommendation compares with the current limit, and how it was reached. */
  recommendation: Recommendation | null;
  severity: ContainerSeverity;
  /** The finding that sums the container up: the most severe, among equals the first pass in report order. */
  headline: Finding | null;
  /** Title of the headline finding, or null. */
  verdict: string | null;
  /** One paragraph: the container's incident timeline from its findings, and the recommendation. */
  narrative: string;
}

/** A finding with its words. */
export interface Finding {
  pass: string;
  code: FindingCode;
  severity: Severity;
  entity: Entity;
  title: string;
  message: string;
  evidence: Record<string, number>;
  /** The pass's evidence as returned, words included (for the narrative); not in findings.json. */
  rawEvidence: FindingDraft['evidence'];
  from: number;
  to: number;
}

export interface FailedInput {
  path: string;
  message: string;
}

export interface AnalysisResult {
  generatedAt: number;
  model: MemModel;
  containers: ContainerSummary[];
  findings: Finding[];
  passes: PassStatus[];
  failedInputs: FailedInput[];
}

const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info'];
const PASS_RANK = new Map(PASSES.map((p, i) => [p.id, i]));

/** Drafts → findings with words, sorted by severity, container, pass (report order), then time. */
export function toFindings(drafts: FindingDraft[], passOf: (code: FindingCode) => string): Finding[] {
  const out = drafts.map((d): Finding => {
    const evidence: Record<string, number> = {};
    for (const [k, v] of Object.entries(d.evidence))
      if (typeof v === 'number' && !Number.isNaN(v)) evidence[k] = v;
    return {
      pass: passOf(d.code),
      code: d.code,
      severity: d.severity,
      entity: d.entity,
      ...findingText(d.code, d.evidence),
      evidence,
      rawEvidence: d.evidence,
      from: d.from,
      to: d.to,
    };
  });
  return out.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.entity.key.localeCompare(b.entity.key) ||
      PASS_RANK.get(a.pass)! - PASS_RANK.get(b.pass)! ||
      a.from - b.from,
  );
}

export function summarize(
  model: MemModel,
  containers: Entity[],
  findings: Finding[],
  recommend: RecommendOptions = RECOMMEND_DEFAULTS,
): ContainerSummary[] {
  // Each container's findings, in severity order, looked up once (batches have thousands).
  const byEntity = new Map<Entity, Finding[]>();
  for (const f of findings) {
    const list = byEntity.get(f.entity);
    if (list) list.push(f);
    else byEntity.set(f.entity, [f]);
  }
  const summaries = containers.map((e) => {
    const own = byEntity.get(e) ?? [];
    const s = seriesOf(model, e);
    const peak = (c: Parameters<typeof s.col>[0]) => nullable(maxKnown(s.col(c)));
    const limit = lastKnown(s.col('limit'));
    const counted = lastKnown(s.col('oomKills'));
    let severity: ContainerSeverity = 'ok';
    // Kills from every source the oom-kill pass found (kernel log, Kubernetes…), not only the counter.
    let kills = 0;
    let possible = 0;
    let thrashing = false;
    // The verdict: the most severe finding, and among equals the pass first in report order
    // (an OOM kill before the working set that led to it).
    const verdictOf = own.reduce<Finding | undefined>(
      (a, f) =>
        !a ||
        SEVERITY_RANK[f.severity] > SEVERITY_RANK[a.severity] ||
        (f.severity === a.severity && PASS_RANK.get(f.pass)! < PASS_RANK.get(a.pass)!)
          ? f
          : a,
      undefined,
    );
    const verdict = verdictOf?.title ?? null;
    for (const f of own) {
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
      if (f.pass === 'oom-kill') {
        if (f.severity === 'critical') kills += f.evidence.kills ?? 0;
        else possible += f.evidence.kills ?? 0;
      }
      if (f.code === 'usage-pinned-by-cache/thrashing') thrashing = true;
    }
    const recommendation = recommendLimit(s, { oomKilled: kills > 0, thrashing }, recommend) ?? null;
    const usage = s.col('usage');
    const ws = s.col('workingSet');
    let atPeak = -1;
    if (usage)
      for (let i = 0; i < s.length; i++)
        if (!Number.isNaN(usage[i]) && (atPeak < 0 || usage[i] > usage[atPeak])) atPeak = i;
    const share =
      atPeak >= 0 && ws && usage![atPeak] > 0 ? (usage![atPeak] - ws[atPeak]) / usage![atPeak] : Number.NaN;
    const peakWs = peak('workingSet');
    return {
      entity: e,
      limitBytes: Number.isFinite(limit) ? limit : null,
      unlimited: limit === Number.POSITIVE_INFINITY,
      oomKills: KILL_SOURCES.some((c) => e.provenance[c] !== undefined)
        ? Math.max(Number.isNaN(counted) ? 0 : counted, kills)
        : null,
      possibleOomKills: possible,
      peak: {
        usageBytes: peak('usage'),
        workingSetBytes: peakWs,
        rssBytes: peak('rss'),
        cacheBytes: peak('cache'),
        activeFileBytes: peak('activeFile'),
        inactiveFileBytes: peak('inactiveFile'),
        shmemBytes: peak('shmem'),
      },
      cacheShareAtPeak: nullable(share),
      // Held back (short window): scripts see the limit to keep, the narrative says what the data suggests.
      recommendedLimitBytes:
        recommendation?.change === 'hold' && Number.isFinite(limit)
          ? limit
          : (recommendation?.limitBytes ?? null),
      recommendation,
      severity,
      headline: verdictOf ?? null,
      verdict,
      narrative: narrativeOf({
        entity: e,
        limitBytes: Number.isFinite(limit) ? limit : null,
        unlimited: limit === Number.POSITIVE_INFINITY,
        peakWorkingSetBytes: peakWs,
        start: s.t[0],
        end: s.t[s.length - 1],
        recommendation: recommendation ?? undefined,
        findings: own.map((f) => ({ ...f, evidence: f.rawEvidence })),
      }),
    };
  });
  // Most severe first, then by name: every output (terminal, summary.md, containers.csv,
  // findings.json, the report) lists containers in the same order.
  return summaries.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.entity.key.localeCompare(b.entity.key),
  );
}

function nullable(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** The findings.json document (schema memlens/findings@1). */
export function toFindingsJson(r: AnalysisResult) {
  const { model } = r;
  return {
    schema: SCHEMA,
    generatedAt: iso(r.generatedAt),
    window: { start: iso(model.window.start), end: iso(model.window.end) },
    inputs: [
      ...model.inputs.map((i: InputInfo) => ({
        path: i.path,
        format: i.format,
        samples: samplesOf(model, i.path),
        containers: model.entities.filter((e) => e.role === 'container' && e.sources.includes(i.path)).length,
        warnings: i.warnings,
      })),
      ...r.failedInputs.map((f) => ({
        path: f.path,
        format: 'unknown',
        samples: 0,
        containers: 0,
        warnings: [],
        error: f.message,
      })),
    ],
    containers: r.containers.map((c) => ({
      key: c.entity.key,
      namespace: c.entity.namespace ?? null,
      pod: c.entity.pod ?? null,
      container: c.entity.container ?? null,
      podUid: c.entity.podUid ?? null,
      containerId: c.entity.containerId ?? null,
      cgroup: c.entity.cgroup ?? null,
      qos: c.entity.qos ?? null,
      node: c.entity.node ?? null,
      limitBytes: c.limitBytes,
      unlimited: c.unlimited,
      oomKills: c.oomKills,
      possibleOomKills: c.possibleOomKills,
      peak: c.peak,
      recommendedLimitBytes: c.recommendedLimitBytes,
      severity: c.severity,
      narrative: c.narrative,
    })),
    findings: r.findings.map((f) => ({
      pass: f.pass,
      code: f.code,
      severity: f.severity,
      container: f.entity.key,
      title: f.title,
      message: f.message,
      evidence: f.evidence,
      from: iso(f.from),
      to: iso(f.to),
    })),
    passes: r.passes.map((p) => ({ id: p.id, status: p.status, ...(p.reason ? { reason: p.reason } : {}) })),
  };
}

export type FindingsJson = ReturnType<typeof toFindingsJson>;

function samplesOf(model: MemModel, path: string): number {
  let n = 0;
  for (const e of model.entities) if (e.sources.includes(path)) n += e.rowEnd - e.rowStart;
  return n;
}
