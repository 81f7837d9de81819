import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../../src/analyze.js';
import type { Series } from '../../../src/model/model.js';
import { seriesOf } from '../../../src/model/model.js';
import {
  activeFileReader,
  nonReclaimable,
  nonReclaimableReader,
  partsReader,
} from '../../../src/passes/lib/parts.js';
import type { AnalysisResult } from '../../../src/result.js';
import { analyzeFixture, FIXTURES, type FixtureName } from '../../helpers/fixtures.js';
import { incidentExport, MiB, promDataset } from '../../helpers/prom-export.js';

/** Every container series of a result. */
const seriesIn = (r: AnalysisResult): Series[] => r.containers.map((c) => seriesOf(r.model, c.entity));

/**
 * The fast readers must say, at every sample, exactly what the Parts object says: the recommended
 * limit and active-file-in-working-set switched to them for speed, not for other answers.
 */
function expectSameAsParts(series: Series[]): number {
  let checked = 0;
  for (const s of series) {
    const parts = partsReader(s);
    const nr = nonReclaimableReader(s);
    const active = activeFileReader(s);
    for (let i = 0; i < s.length; i++) {
      const p = parts(i);
      expect(nr(i)).toBe(nonReclaimable(p));
      expect(active.at(i)).toBe(p.activeFile ?? (p.shmem === undefined ? p.activeOrShmem : undefined));
      expect(active.measured(i)).toBe(p.activeFile !== undefined);
      checked++;
    }
  }
  return checked;
}

describe('nonReclaimableReader and activeFileReader', () => {
  it.each(Object.keys(FIXTURES) as FixtureName[])(
    'agree with partsReader on every sample of %s',
    async (name) => {
      expect(expectSameAsParts(seriesIn(await analyzeFixture(name)))).toBeGreaterThan(0);
    },
  );

  it('agree on Prometheus data, where active file and shmem are estimates', () => {
    expect(expectSameAsParts(seriesIn(analyzeDatasets([incidentExport()])))).toBeGreaterThan(0);
  });

  it('agree where samples are missing', () => {
    const r = analyzeDatasets([
      promDataset(
        [
          {
            namespace: 'a',
            pod: 'b',
            container: 'c',
            limit: 512 * MiB,
            // Every third sample lacks the cache, every fifth the anon memory.
            at: (i) => ({
              rss: i % 5 === 0 ? Number.NaN : (100 + i) * MiB,
              cache: i % 3 === 0 ? Number.NaN : 50 * MiB,
              inactive: 20 * MiB,
            }),
          },
        ],
        { samples: 60 },
      ),
    ]);
    const s = seriesIn(r);
    expect(s[0].col('rss')!.some(Number.isNaN)).toBe(true);
    expect(expectSameAsParts(s)).toBe(60);
  });
});
