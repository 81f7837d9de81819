import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { containersCsv } from '../../src/report/csv.js';
import { toFindingsJson } from '../../src/result.js';
import { analyzeCapture } from '../helpers/capture.js';
import { incidentExport } from '../helpers/prom-export.js';

const num = (v: string) => (v === '' ? null : Number(v));

describe('containers.csv', () => {
  it.each([
    ['the real capture', () => analyzeCapture()],
    ['a Prometheus export with hostile labels', async () => analyzeDatasets([incidentExport()])],
  ])('has one row per container of findings.json, with the same numbers, for %s', async (_, load) => {
    const r = await load();
    const json = toFindingsJson(r);
    const parsed = Papa.parse<Record<string, string>>(containersCsv(r), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(json.containers.length);
    parsed.data.forEach((row, i) => {
      const c = json.containers[i];
      expect(row.key).toBe(c.key);
      expect(row.namespace).toBe(c.namespace ?? '');
      expect(row.container_id).toBe(c.containerId ?? '');
      expect(row.limit_bytes).toBe(c.unlimited ? 'unlimited' : String(c.limitBytes ?? ''));
      expect(num(row.peak_usage_bytes)).toBe(c.peak.usageBytes);
      expect(num(row.peak_working_set_bytes)).toBe(c.peak.workingSetBytes);
      expect(num(row.peak_rss_bytes)).toBe(c.peak.rssBytes);
      expect(num(row.peak_cache_bytes)).toBe(c.peak.cacheBytes);
      expect(num(row.peak_inactive_file_bytes)).toBe(c.peak.inactiveFileBytes);
      // unknown kills (no kill counter in the data) are an empty cell, never 0
      expect(num(row.oom_kills)).toBe(c.oomKills);
      expect(Number(row.possible_oom_kills)).toBe(c.possibleOomKills);
      expect(num(row.recommended_limit_bytes)).toBe(c.recommendedLimitBytes);
      expect(row.severity).toBe(c.severity);
    });
  });
});
