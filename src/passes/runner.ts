import { UsageError } from '../errors.js';
import type { FindingCode } from '../messages.js';
import type { Entity, MemModel } from '../model/model.js';
import { seriesOf } from '../model/model.js';
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
    const eligible = containers.filter((e) => pass.requires.every((c) => e.provenance[c] !== undefined));
    if (eligible.length === 0) {
      const missing = pass.requires.filter((c) => !containers.some((e) => e.provenance[c] !== undefined));
      statuses.push({
        id: pass.id,
        status: 'not-applicable',
        reason: containers.length
          ? `no container has ${missing.join(', ')} in these inputs`
          : 'no containers in these inputs',
        containers: 0,
      });
      continue;
    }
    try {
      const found = pass.run({
        containers: eligible.map((e) => seriesOf(model, e)),
        options: options[pass.id],
        model,
      });
      drafts.push(...found);
      statuses.push({ id: pass.id, status: 'ran', containers: eligible.length });
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

/** Defaults overlaid with user options; unknown passes, options or types are usage errors. */
export function resolveOptions(overrides: PassOptions): Record<string, Record<string, OptionValue>> {
  const byId = new Map<string, PassDef>(PASSES.map((p) => [p.id, p]));
  for (const id of Object.keys(overrides)) {
    if (!byId.has(id))
      throw new UsageError(`unknown pass "${id}" in options; passes are: ${[...byId.keys()].join(', ')}`);
  }
  const out: Record<string, Record<string, OptionValue>> = {};
  for (const pass of PASSES) {
    const defs = pass.options as Record<string, OptionDef>;
    const merged = { ...(defaultsOf(defs) as Record<string, OptionValue>) };
    for (const [k, v] of Object.entries(overrides[pass.id] ?? {})) {
      const def = defs[k];
      if (!def) {
        throw new UsageError(
          `pass "${pass.id}" has no option "${k}"; its options are: ${Object.keys(defs).join(', ') || 'none'}`,
        );
      }
      merged[k] = coerce(pass.id, k, v, def.default);
    }
    out[pass.id] = merged;
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
