import type { FixtureName } from './fixtures.js';
import { analyzeWith, findingsOf, loadFixture } from './fixtures.js';
import type { MetricsOptions } from './prometheus.js';
import { metricsFromCapture } from './prometheus.js';

/** One row of a pass's table-driven test: a real capture (or the export made of it), one container. */
export interface PassCase {
  name: string;
  fixture: FixtureName;
  /** Analyse the Prometheus export made of the capture instead of the capture. */
  metrics?: MetricsOptions;
  /** The pass's options, as --set gives them. */
  set?: Record<string, string>;
  container: string;
}

/** The pass's findings for the case's container, the whole analysis run as `memlens analyze` runs it. */
export async function passFindings(pass: string, c: PassCase) {
  const capture = await loadFixture(c.fixture);
  const r = analyzeWith(
    [c.metrics ? metricsFromCapture(capture, c.metrics) : capture],
    c.set ? { [pass]: c.set } : {},
  );
  return findingsOf(r, pass, c.container);
}
