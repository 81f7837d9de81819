import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult } from '../../src/result.js';

/** The real v1 capture: an OOM-killed leak, a cache-heavy reader and a steady control. */
export const V1_CAPTURE = fileURLToPath(
  new URL('../fixtures/v1-oom-killed-and-cache-inflated.tar.gz', import.meta.url),
);

/** Analysis time pinned so reports are reproducible. */
export const NOW = Date.parse('2026-11-27T20:00:00Z');

export function analyzeCapture(): Promise<AnalysisResult> {
  return analyze([{ path: V1_CAPTURE }], { now: NOW });
}
