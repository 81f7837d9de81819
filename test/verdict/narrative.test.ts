import { describe, expect, it } from 'vitest';
import { toFindingsJson } from '../../src/result.js';
import { narrativeOf } from '../../src/verdict/narrative.js';
import { analyzeWith, loadFixture } from '../helpers/fixtures.js';

describe('narrative', () => {
  it('tells a killed container’s incident in time order, with numbers and the recommendation', async () => {
    const r = analyzeWith([await loadFixture('tmpfsOom')]);
    const c = r.containers.find((x) => x.entity.key === 'media/transcoder-9f8e/transcoder')!;
    const n = c.narrative;
    expect(
      n.startsWith(
        'media/transcoder-9f8e/transcoder (limit 64 MiB), observed 2026-11-27 19:25:55 UTC – 19:26:12 UTC (17s):',
      ),
    ).toBe(true);
    // One sentence per finding, in time order.
    const sentences = [
      'held 63.4 MiB of tmpfs/shmem',
      'was OOM-killed 2×: tmpfs/shmem (56 MiB) had filled the 64 MiB limit',
      'ran its working set at the limit',
    ];
    const at = sentences.map((s) => n.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(n).toContain('Recommended limit: 96 MiB, up from 64 MiB');
  });

  it('says a quiet container is quiet', async () => {
    const [c] = analyzeWith([await loadFixture('healthy')]).containers;
    expect(c.severity).toBe('ok');
    expect(c.narrative).toContain(
      'nothing to act on; the working set peaked at 27.1 MiB (42.4 % of the 64 MiB limit).',
    );
  });

  it('says a container has no usable sample instead of throwing on a window no Date can hold', async () => {
    const [c] = analyzeWith([await loadFixture('healthy')]).containers;
    for (const [start, end] of [
      [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [1.7e12, 9.2e25],
    ]) {
      const n = narrativeOf({
        entity: c.entity,
        limitBytes: null,
        unlimited: false,
        peakWorkingSetBytes: null,
        start,
        end,
        findings: [],
      });
      expect(n).toBe(
        `${c.entity.key}: no sample of it could be used (the input's warnings say why), so there is nothing to judge.`,
      );
    }
  });

  it('warns that a higher limit does not cure a leak', async () => {
    const r = analyzeWith([await loadFixture('leak')]);
    const cart = r.containers.find((x) => x.entity.key === 'shop/cart-5b6c/cart')!;
    expect(cart.narrative).toContain('grew anon memory steadily by');
    expect(cart.narrative).toContain('a higher limit only delays the next kill');
  });

  it('is in findings.json for every container', async () => {
    const r = analyzeWith([await loadFixture('leak')]);
    const json = toFindingsJson(r);
    for (const c of json.containers) expect(c.narrative.startsWith(c.key)).toBe(true);
  });
});
