import type { AnalysisResult } from '../../src/result.js';
import { analyzeFixture, fixture } from './fixtures.js';

const NAME = 'v1-oom-killed-and-cache-inflated.tar.gz';

/** The real v1 capture: an OOM-killed leak, a cache-heavy reader and a steady control. */
export const V1_CAPTURE = fixture(NAME);

/** Analysis time pinned so reports are reproducible. */
export const NOW = Date.parse('2026-11-27T20:00:00Z');

export function analyzeCapture(): Promise<AnalysisResult> {
  return analyzeFixture('oomAndCache', { now: NOW });
}
