import { weakKillWhy } from '../messages.js';
import { PASSES } from '../passes/index.js';
import { SEVERITY_RANK } from '../passes/types.js';
import type { AnalysisResult, ContainerSummary, Finding } from '../result.js';

const PASS_ORDER = new Map(PASSES.map((p, i) => [p.id, i]));

/**
 * The report's one-sentence verdict: containers grouped by their most severe finding, e.g.
 * "1 container OOM-killed twice (mostly anon); 1 container only looks full: file cache inflates
 * usage; 1 container ok." It counts and names what the passes found; it judges nothing itself.
 */
export function verdictSentence(r: AnalysisResult): string {
  const n = r.containers.length;
  if (n === 0) return 'No containers found in the inputs.';
  const headline = new Map<number, Finding>();
  for (const c of r.containers) if (c.headline) headline.set(c.entity.index, c.headline);
  if (headline.size === 0) return `${count(n)}, no findings.`;

  // Groups ordered by their headline's severity, then by pass in report order.
  const groups = new Map<string, { finding: Finding; containers: ContainerSummary[] }>();
  for (const c of r.containers) {
    const f = headline.get(c.entity.index);
    if (!f) continue;
    const key = f.code === 'oom-kill/killed' || f.code === 'oom-kill/before-window' ? f.code : f.pass;
    const g = groups.get(key) ?? { finding: f, containers: [] };
    g.containers.push(c);
    groups.set(key, g);
  }
  const order = [...groups.entries()].sort(
    (a, b) =>
      SEVERITY_RANK[b[1].finding.severity] - SEVERITY_RANK[a[1].finding.severity] ||
      PASS_ORDER.get(a[1].finding.pass)! - PASS_ORDER.get(b[1].finding.pass)!,
  );
  const parts = order.map(
    ([key, g]) => phrase(key, g.containers, g.finding, r) + alsoKilled(key, g.containers, r),
  );
  const ok = n - headline.size;
  if (ok > 0) parts.push(`${count(ok)} ok`);
  return `${parts.join('; ')}.`;
}

function phrase(key: string, cs: ContainerSummary[], f: Finding, r: AnalysisResult): string {
  const k = cs.length;
  switch (key) {
    case 'oom-kill/killed': {
      const kills = cs.reduce((s, c) => s + (c.oomKills ?? 0), 0);
      const causes = [...new Set(cs.map((c) => causeOf(c, r)).filter((x) => x !== undefined))];
      const cause = causes.length === 1 ? ` (${causes[0]})` : '';
      return k === 1
        ? `${count(1)} OOM-killed ${times(kills)}${cause}`
        : `${count(k)} OOM-killed, ${kills} kills in all${cause}`;
    }
    case 'oom-kill/before-window':
      return `${count(k)} OOM-killed before the data starts`;
    case 'cache-inflated-usage':
      return `${count(k)} only ${k === 1 ? 'looks' : 'look'} full: file cache inflates usage`;
    case 'working-set-near-limit':
      return `${count(k)} really near ${k === 1 ? 'its' : 'their'} limit (working set)`;
    default:
      return `${count(k)}: ${f.title.charAt(0).toLowerCase()}${f.title.slice(1)}`;
  }
}

/**
 * Possible kills (only cAdvisor counted them, or a restart at the limit suggests them) are warnings, so a container whose headline is more severe (its
 * working set at the limit) would not mention them; in a post-mortem a kill is the first thing
 * looked for, so the sentence adds them to that group's phrase.
 */
function alsoKilled(key: string, cs: ContainerSummary[], r: AnalysisResult): string {
  if (key.startsWith('oom-kill')) return '';
  const group = new Set(cs.map((c) => c.entity));
  let kills = 0;
  const killed = new Set<unknown>();
  const why = new Set<string>();
  for (const f of r.findings)
    if (f.code === 'oom-kill/killed' && f.severity === 'warning' && group.has(f.entity)) {
      kills += f.evidence.kills;
      killed.add(f.entity);
      why.add(weakKillWhy(f.evidence));
    }
  if (kills === 0) return '';
  const how = [...why].join(' or ');
  return cs.length === 1
    ? `, possibly OOM-killed ${times(kills)} (${how})`
    : `, ${killed.size} of them possibly OOM-killed (${how})`;
}

/** What the memory was mostly made of at the container's kills, from the oom-kill evidence. */
function causeOf(c: ContainerSummary, r: AnalysisResult): string | undefined {
  const own = r.findings.filter((f) => f.entity === c.entity);
  if (own.some((f) => f.pass === 'anon-growth')) return 'anon growth';
  const kill = own.filter((f) => f.code === 'oom-kill/killed').at(-1);
  if (!kill) return undefined;
  const e = kill.evidence;
  const shmem = e.shmemBytes ?? 0;
  const parts: [string, number][] = [
    ['anon', e.rssBytes ?? 0],
    ['file cache', Math.max(0, (e.cacheBytes ?? 0) - shmem)],
    ['shmem/tmpfs', shmem],
    ['kernel', e.kernelBytes ?? 0],
  ];
  const total = parts.reduce((s, [, v]) => s + v, 0);
  const [name, v] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  // "mostly" only when one part is the majority; otherwise the sentence would overstate.
  return total > 0 && v / total > 0.5 ? `mostly ${name}` : undefined;
}

function count(n: number): string {
  return `${n} container${n === 1 ? '' : 's'}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}
