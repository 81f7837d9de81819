// Public library API: the CLI is a thin layer over these.

export type { AnalyzeOptions } from './analyze.js';
export { analyze, analyzeDatasets, loadInputs } from './analyze.js';
export { InputError, InternalError, MemlensError, UsageError } from './errors.js';
export { resolveInputs } from './import/open.js';
export type { Dataset, InputInfo } from './import/types.js';
export { buildModel } from './model/build.js';
export { METRICS } from './model/metrics.js';
export type { Entity, MemModel, Series } from './model/model.js';
export { PASSES } from './passes/index.js';
export type { AnalysisResult, ContainerSummary, Finding } from './result.js';
export { SCHEMA, toFindingsJson } from './result.js';
