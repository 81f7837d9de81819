import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { verdictSentence } from '../../src/report/verdict.js';
import { analyzeCapture } from '../helpers/capture.js';
import { incidentExport, MiB, promDataset } from '../helpers/prom-export.js';

describe('verdictSentence', () => {
  it('says what happened in the real capture, worst first, with the cause of the kills', async () => {
    const r = await analyzeCapture();
    expect(verdictSentence(r)).toBe(
      '1 container OOM-killed twice (mostly anon); 1 container only looks full: file cache inflates usage; 1 container ok.',
    );
  });

  it('groups containers with the same headline finding', () => {
    const cacheHeavy = (pod: string) => ({
      namespace: 'a',
      pod,
      container: 'c',
      limit: 1024 * MiB,
      at: () => ({ rss: 100 * MiB, cache: 700 * MiB, inactive: 650 * MiB }),
    });
    const steady = {
      namespace: 'a',
      pod: 'p3',
      container: 'c',
      limit: 1024 * MiB,
      at: () => ({ rss: 100 * MiB, cache: 10 * MiB, inactive: 5 * MiB }),
    };
    const r = analyzeDatasets([promDataset([cacheHeavy('p1'), cacheHeavy('p2'), steady])]);
    expect(verdictSentence(r)).toBe(
      '2 containers only look full: file cache inflates usage; 1 container ok.',
    );
  });

  it('orders groups by severity, then by pass in report order', () => {
    const r = analyzeDatasets([incidentExport()]);
    expect(verdictSentence(r)).toBe(
      '1 container really near its limit (working set); 1 container: no memory limit; 1 container: usage pinned at the limit by file cache (harmless); 1 container only looks full: file cache inflates usage.',
    );
  });

  it('says so when nothing was found, and when there is nothing to analyse', () => {
    const quiet = promDataset([
      {
        namespace: 'a',
        pod: 'b',
        container: 'c',
        limit: 512 * MiB,
        at: () => ({ rss: 100 * MiB, cache: 0, inactive: 0 }),
      },
    ]);
    expect(verdictSentence(analyzeDatasets([quiet]))).toBe('1 container, no findings.');
    expect(verdictSentence(analyzeDatasets([promDataset([])]))).toBe('No containers found in the inputs.');
  });
});
