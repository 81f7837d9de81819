import { UsageError } from '../errors.js';
import type { FindingCode } from '../messages.js';
import type { Entity, MemModel } from '../model/model.js';
import { seriesOf } from '../model/model.js';
import { RECOMMEND_ID, RECOMMEND_OPTIONS } from '../verdict/recommend.js';
import { PASSES } from './index.js';
import type { FindingDraft, OptionDef, OptionValue, PassDef } from './types.js';
import { defaultsOf } from './types.js';

export interface PassStatus {
  id: string;
  status: 'ran' | 'not-applicable' | 'error';
  reason?: string;
  /** Containers the pass looked at. */
  containers: number;
}

export type PassOptions = Record<string, Record<string, OptionValue>>;

export interface PassesResult {
  drafts: FindingDraft<FindingCode>[];
  statuses: PassStatus[];
}

/**
 * Runs every pass on the given containers. A pass whose required columns no container has is
 * "not-applicable" with the reason; a pass that throws becomes an "error" entry; the others run.
 */
export function runPasses(model: MemModel, containers: Entity[], overrides: PassOptions = {}): PassesResult {
  const options = resolveOptions(overrides);
  const drafts: FindingDraft[] = [];
  const statuses: PassStatus[] = [];
  for (const pass of PASSES) {
    const eligible = containers.filter((e) => missingFor(pass, e).length === 0);
    const lacking = missingColumns(pass, containers, eligible);
    if (eligible.length === 0) {
      statuses.push({
        id: pass.id,
        status: 'not-applicable',
        reason: containers.length ? `no container has ${lacking}` : 'no containers in these inputs',
        containers: 0,
      });
      continue;
    }
    // Containers the pass could not look at are said, not silently skipped.
    const partial =
      eligible.length < containers.length
        ? `${containers.length - eligible.length} of ${containers.length} containers lack ${lacking}`
        : undefined;
    try {
      const found = pass.run({
        containers: eligible.map((e) => seriesOf(model, e)),
        options: options[pass.id],
        model,
      });
      drafts.push(...found);
      statuses.push({
        id: pass.id,
        status: 'ran',
        containers: eligible.length,
        ...(partial ? { reason: partial } : {}),
      });
    } catch (e) {
      statuses.push({
        id: pass.id,
        status: 'error',
        reason: e instanceof Error ? e.message : String(e),
        containers: eligible.length,
      });
    }
  }
  return { drafts, statuses };
}

/** The required columns (or the one-of group) a container lacks for a pass. */
function missingFor(pass: PassDef, e: Entity): string[] {
  const missing: string[] = pass.requires.filter((c) => e.provenance[c] === undefined);
  const any = pass.requiresAny ?? [];
  if (any.length && !any.some((c) => e.provenance[c] !== undefined)) missing.push(any.join(' or '));
  return missing;
}

/** "shmem (cAdvisor does not export it: …)" for the columns that kept containers out. */
function missingColumns(pass: PassDef, containers: Entity[], eligible: Entity[]): string {
  const out = new Set<string>();
  // A set: thousands of containers, and includes() on the eligible list made this quadratic.
  const ok = new Set(eligible);
  for (const e of containers) if (!ok.has(e)) for (const m of missingFor(pass, e)) out.add(m);
  return [...out]
    .map((m) => {
      const why = pass.unavailable?.[m];
      return why ? `${m} (${why})` : m;
    })
    .join(', ');
}

/**
 * What `--set` and `--config` can tune: each pass's options, and the recommended limit's
 * (`recommended-limit.workingSetHeadroom=0.2`), under the id `memlens explain` uses for it.
 */
const TUNABLE: { id: string; options: Record<string, OptionDef> }[] = [
  ...PASSES.map((p) => ({ id: p.id, options: p.options as Record<string, OptionDef> })),
  { id: RECOMMEND_ID, options: RECOMMEND_OPTIONS as unknown as Record<string, OptionDef> },
];

/** Defaults overlaid with user options; unknown passes, options or types are usage errors. */
export function resolveOptions(overrides: PassOptions): Record<string, Record<string, OptionValue>> {
  const byId = new Map(TUNABLE.map((t) => [t.id, t]));
  for (const id of Object.keys(overrides)) {
    if (!byId.has(id))
      throw new UsageError(
        `unknown pass "${id}" in options; passes are: ${PASSES.map((p) => p.id).join(', ')} (and ${RECOMMEND_ID})`,
      );
  }
  const out: Record<string, Record<string, OptionValue>> = {};
  for (const { id, options: defs } of TUNABLE) {
    const merged = { ...(defaultsOf(defs) as Record<string, OptionValue>) };
    for (const [k, v] of Object.entries(overrides[id] ?? {})) {
      const def = defs[k];
      if (!def) {
        throw new UsageError(
          `${id === RECOMMEND_ID ? '' : 'pass '}"${id}" has no option "${k}"; its options are: ${Object.keys(defs).join(', ') || 'none'}`,
        );
      }
      merged[k] = coerce(id, k, v, def.default);
    }
    out[id] = merged;
  }
  return out;
}

function coerce(pass: string, key: string, v: OptionValue, def: OptionValue): OptionValue {
  if (typeof def === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`option ${pass}.${key} must be a number, got "${v}"`);
    return n;
  }
  if (typeof def === 'boolean') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new UsageError(`option ${pass}.${key} must be true or false, got "${v}"`);
  }
  return String(v);
}
