import { InputError } from './errors.js';
import type { InputRef } from './import/open.js';
import { loadInput } from './import/open.js';
import type { ImportContext } from './import/registry.js';
import { warnSameGuessedTime } from './import/same-guessed-time.js';
import type { Dataset } from './import/types.js';
import type { FindingCode } from './messages.js';
import { buildModel } from './model/build.js';
import type { Entity } from './model/model.js';
import { PASSES } from './passes/index.js';
import type { PassOptions } from './passes/runner.js';
import { resolveOptions, runPasses } from './passes/runner.js';
import type { AnalysisResult, FailedInput } from './result.js';
import { summarize, toFindings } from './result.js';
import { DEFAULT_READ_LIMITS } from './source/types.js';
import type { ProgressFactory } from './util/progress.js';
import type { Matcher } from './util/selector.js';
import { matches } from './util/selector.js';
import type { RecommendOptions } from './verdict/recommend.js';
import { RECOMMEND_ID } from './verdict/recommend.js';

export interface AnalyzeOptions {
  since?: number;
  until?: number;
  match?: Matcher[];
  passOptions?: PassOptions;
  tz?: string;
  maxInputBytes?: number;
  /** Analysis time (tests pin it); defaults to now. */
  now?: number;
  settings?: Record<string, string>;
  /** Progress display for long imports (the CLI sets it for a terminal). */
  progress?: ProgressFactory;
}

export interface LoadResult {
  datasets: Dataset[];
  failed: FailedInput[];
}

/** Imports every input; a bad input is recorded, the others go on. Throws when all fail. */
export async function loadInputs(refs: InputRef[], opts: AnalyzeOptions = {}): Promise<LoadResult> {
  const ctx: ImportContext = {
    limits: { ...DEFAULT_READ_LIMITS, ...(opts.maxInputBytes ? { maxTotalBytes: opts.maxInputBytes } : {}) },
    tz: opts.tz,
    now: opts.now,
    settings: opts.settings,
    progress: opts.progress,
  };
  const datasets: Dataset[] = [];
  const failed: FailedInput[] = [];
  for (const ref of refs) {
    try {
      datasets.push(await loadInput(ref, ctx));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      failed.push({ path: ref.path, message: e.message });
    }
  }
  if (datasets.length === 0 && failed.length > 0) {
    throw failed.length === 1
      ? new InputError(failed[0].path, failed[0].message.slice(failed[0].path.length + 2))
      : new InputError('inputs', `none could be read:\n${failed.map((f) => `  ${f.message}`).join('\n')}`);
  }
  return { datasets, failed };
}

const PASS_OF_CODE = (code: FindingCode) => code.slice(0, code.indexOf('/'));

/**
 * The whole analysis on already imported data:
 * 1. build the canonical model (derive, identify, join, window);
 * 2. select the containers the user asked for (--match);
 * 3. run every pass;
 * 4. words for findings, peaks and severity per container.
 */
export function analyzeDatasets(
  datasets: Dataset[],
  opts: AnalyzeOptions = {},
  failed: FailedInput[] = [],
): AnalysisResult {
  // 1.
  warnSameGuessedTime(datasets);
  const model = buildModel(datasets, { since: opts.since, until: opts.until });
  // 2.
  const containers = model.entities.filter(
    (e) =>
      e.role === 'container' && e.rowEnd > e.rowStart && (!opts.match || matches(opts.match, labelsOf(e))),
  );
  // 3.
  // Pass and recommended-limit options, defaults overlaid with --set and --config.
  const options = resolveOptions(opts.passOptions ?? {});
  const { drafts, statuses } = runPasses(model, containers, options);
  // 4.
  const findings = toFindings(drafts, PASS_OF_CODE);
  return {
    generatedAt: opts.now ?? Date.now(),
    model,
    containers: summarize(model, containers, findings, options[RECOMMEND_ID] as unknown as RecommendOptions),
    findings,
    passes: statuses,
    failedInputs: failed,
  };
}

/** Imports and analyses in one call: the library's main entry. */
export async function analyze(refs: InputRef[], opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const { datasets, failed } = await loadInputs(refs, opts);
  return analyzeDatasets(datasets, opts, failed);
}

export function labelsOf(e: Entity): Record<string, string | undefined> {
  return {
    namespace: e.namespace,
    pod: e.pod,
    container: e.container,
    key: e.key,
    node: e.node,
    qos: e.qos,
    cgroup: e.cgroup,
    container_id: e.containerId,
    pod_uid: e.podUid,
  };
}

export { PASSES };
