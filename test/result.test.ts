import { describe, expect, it } from 'vitest';
import { toFindingsJson } from '../src/result.js';
import { analyzeWith, loadFixture } from './helpers/fixtures.js';

describe('per-container verdicts', () => {
  it('severity is the worst finding’s: critical > warning > info > ok', async () => {
    const r = analyzeWith([
      await loadFixture('oomAndCache'),
      await loadFixture('leak'),
      await loadFixture('healthy'),
    ]);
    const sev = Object.fromEntries(r.containers.map((c) => [c.entity.key, c.severity]));
    expect(sev).toMatchObject({
      'shop/checkout-7d9f/api': 'critical',
      'shop/cart-5b6c/cart': 'warning',
      'batch/report-writer-5c8b/reader': 'info',
      'shop/recommender-8d2f/model': 'ok',
    });
    for (const c of r.containers) {
      const own = r.findings.filter((f) => f.entity === c.entity);
      const rank = ['ok', 'info', 'warning', 'critical'];
      expect(rank.indexOf(c.severity)).toBe(Math.max(0, ...own.map((f) => rank.indexOf(f.severity))));
    }
  });

  it('findings.json carries recommendedLimitBytes, the narrative, and words only in title and message', async () => {
    const json = toFindingsJson(analyzeWith([await loadFixture('tmpfsOom')]));
    const [c] = json.containers;
    expect(c.recommendedLimitBytes).toBe(96 * 1024 * 1024);
    expect(typeof c.narrative).toBe('string');
    for (const f of json.findings) for (const v of Object.values(f.evidence)) expect(typeof v).toBe('number');
  });

  it('counts OOM kills from every source, not only the cgroup counter', async () => {
    const r = analyzeWith([await loadFixture('restarted')]);
    const api = r.containers.find((c) => c.entity.key === 'shop/checkout-7d9f/api')!;
    expect(api.oomKills).toBe(1);
  });
});
