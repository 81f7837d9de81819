import type { FindingCode, FindingEvidence } from '../messages.js';
import type { MetricName } from '../model/metrics.js';
import type { Entity, MemModel, Series } from '../model/model.js';

export type Severity = 'critical' | 'warning' | 'info';
export type ContainerSeverity = Severity | 'ok';
export const SEVERITY_RANK: Record<ContainerSeverity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };

export type OptionValue = number | boolean | string;

/** One option of a pass: its default and the reason for that default. */
export interface OptionDef<V extends OptionValue = OptionValue> {
  default: V;
  /** Why this value: where the threshold comes from, what it protects against. */
  reason: string;
}

export type OptionDefs<O> = { [K in keyof O]: OptionDef<O[K] & OptionValue> };

/** A finding as a pass returns it: data only. Words come from messages.ts by `code`. */
export interface FindingDraft<C extends FindingCode = FindingCode> {
  code: C;
  severity: Severity;
  entity: Entity;
  evidence: FindingEvidence<C>;
  /** Window the finding covers, epoch ms. */
  from: number;
  to: number;
}

export interface PassInput<O> {
  /** Containers that have every required column, as zero-copy series views. */
  containers: Series[];
  options: O;
  /** The whole model, for context (pods, other containers). Read-only. */
  model: MemModel;
}

export interface PassDef<O = Record<string, OptionValue>> {
  /** kebab-case, equals the file name and docs/passes/<id>.md; a stable contract. */
  id: string;
  /** What the pass checks, as a heading. */
  title: string;
  /** Why a user should care. */
  description: string;
  /** What the pass flags, and when it stays quiet: one or two sentences. */
  checks: string;
  /** What the pass cannot see or may get wrong. */
  limitations: string[];
  /** Columns a container must have for the pass to look at it. */
  requires: MetricName[];
  /** Columns of which a container needs at least one (different sources of the same fact). */
  requiresAny?: MetricName[];
  /** Why a required column can be missing, and what that means for this pass. */
  unavailable?: Record<string, string>;
  /** Every threshold the pass compares against, with its reason. */
  options: OptionDefs<O>;
  run(input: PassInput<O>): FindingDraft[];
}

/** Identity function that checks a pass's declaration against its options type. */
export function definePass<O>(pass: PassDef<O>): PassDef<O> {
  return pass;
}

export function defaultsOf<O>(defs: OptionDefs<O>): O {
  const out = {} as Record<string, OptionValue>;
  for (const [k, d] of Object.entries(defs) as [string, OptionDef][]) out[k] = d.default;
  return out as O;
}
