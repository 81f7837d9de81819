import { readFileSync } from 'node:fs';
import type { AnalyzeOptions } from '../analyze.js';
import { UsageError } from '../errors.js';
import type { PassOptions } from '../passes/runner.js';
import { resolveOptions } from '../passes/runner.js';
import type { OptionValue } from '../passes/types.js';
import { isTimeZone } from '../report/format.js';
import { RENDERERS } from '../report/index.js';
import { parseSelector } from '../util/selector.js';
import { parseRfc3339, parseUnixSeconds } from '../util/time.js';

export const FAIL_ON = ['critical', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** --since/--until: RFC3339 with a zone, "YYYY-MM-DD HH:MM[:SS]" (UTC), a date, or unix seconds. */
export function parseTimeFlag(flag: string, value: string): number {
  let t = parseRfc3339(value);
  if (Number.isNaN(t)) t = parseUnixSeconds(value);
  if (Number.isNaN(t)) {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?$/.exec(value);
    if (m) t = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[2]?.length === 5 ? ':00' : ''}Z`);
  }
  if (Number.isNaN(t))
    throw new UsageError(
      `${flag} "${value}" is not a time; use RFC3339 like 2026-11-27T19:05:00Z or unix seconds`,
    );
  return t;
}

/** --set pass.option=value (repeatable) → nested options. */
export function parseSet(values: string[], into: PassOptions = {}): PassOptions {
  for (const v of values) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(v);
    if (!m) throw new UsageError(`--set "${v}" must look like cache-inflated-usage.minShare=0.3`);
    into[m[1]] ??= {};
    into[m[1]][m[2]] = m[3];
  }
  return into;
}

export interface ConfigFile {
  failOn?: FailOn;
  match?: string;
  tz?: string;
  passes?: Record<string, Record<string, OptionValue>>;
}

/** Reads memlens.config.json (or the given path). */
export function readConfig(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--config ${path}: cannot read the file`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`--config ${path}: expected a JSON object`);
  const c = doc as Record<string, unknown>;
  const known = ['failOn', 'match', 'tz', 'passes', '$schema'];
  for (const k of Object.keys(c)) {
    if (!known.includes(k))
      throw new UsageError(
        `--config ${path}: unknown key "${k}"; known keys: ${known.slice(0, 4).join(', ')}`,
      );
  }
  if (c.failOn !== undefined && !FAIL_ON.includes(c.failOn as FailOn)) {
    throw new UsageError(`--config ${path}: failOn must be one of ${FAIL_ON.join(', ')}`);
  }
  return c as ConfigFile;
}

export function parseFailOn(v: string): FailOn {
  if (!FAIL_ON.includes(v as FailOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got "${v}"`);
  return v as FailOn;
}

export function parseBytesFlag(flag: string, v: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive number of bytes, got "${v}"`);
  return n;
}

/** --tz: an IANA zone name Node knows (Europe/Berlin, UTC) or a fixed offset (+02:00). */
export function checkTimeZone(tz: string | undefined): string | undefined {
  if (tz === undefined) return undefined;
  if (!isTimeZone(tz))
    throw new UsageError(
      `--tz "${tz}" is not a time zone; use an IANA name like Europe/Berlin, UTC, or an offset like +02:00`,
    );
  return tz;
}

/** The flags `analyze` and `batch` share: what to analyse and how to judge it. */
export interface AnalysisFlags {
  config?: string;
  failOn?: string;
  format?: string;
  since?: string;
  until?: string;
  match?: string;
  tz?: string;
  vmFormat?: string;
  set?: string[];
  maxInputBytes?: string;
}

export interface ResolvedAnalysisFlags {
  failOn: FailOn;
  /** Renderer names, checked against the registry. */
  formats: string[];
  tz?: string;
  analyze: AnalyzeOptions;
}

/** Flags and --config merged (flags win) and checked: every mistake is a one-line usage error. */
export function resolveAnalysisFlags(flags: AnalysisFlags): ResolvedAnalysisFlags {
  const config = flags.config ? readConfig(flags.config) : {};
  const formats = (flags.format ?? Object.keys(RENDERERS).join(',')).split(',').map((f) => f.trim());
  for (const f of formats) {
    if (!RENDERERS[f])
      throw new UsageError(`--format "${f}" is not one of ${Object.keys(RENDERERS).join(', ')}`);
  }
  const tz = checkTimeZone(flags.tz ?? config.tz);
  const match = flags.match ?? config.match;
  const passOptions = parseSet(flags.set ?? [], structuredClone(config.passes ?? {}));
  // A mistyped option is said before minutes of import, not after.
  resolveOptions(passOptions);
  return {
    failOn: parseFailOn(flags.failOn ?? config.failOn ?? 'none'),
    formats,
    tz,
    analyze: {
      since: flags.since ? parseTimeFlag('--since', flags.since) : undefined,
      until: flags.until ? parseTimeFlag('--until', flags.until) : undefined,
      match: match ? parseSelector(match) : undefined,
      tz,
      settings: flags.vmFormat ? { vmFormat: flags.vmFormat } : undefined,
      passOptions,
      maxInputBytes: flags.maxInputBytes
        ? parseBytesFlag('--max-input-bytes', flags.maxInputBytes)
        : undefined,
    },
  };
}
