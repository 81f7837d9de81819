import { describe, expect, it } from 'vitest';
import { lowerEnvelope, median, theilSen } from '../../src/util/fit.js';

describe('theilSen', () => {
  it('recovers a line exactly, and ignores a minority of wild points', () => {
    const x = Array.from({ length: 20 }, (_, i) => i * 1000);
    const y = x.map((t) => 5 + 2 * t);
    expect(theilSen(x, y)).toMatchObject({ slope: 2, intercept: 5, r2: 1, n: 20 });
    const wild = y.map((v, i) => (i % 5 === 0 ? v + 1e6 : v));
    const f = theilSen(x, wild);
    expect(f.slope).toBeCloseTo(2, 6);
    expect(f.r2).toBeLessThan(1);
  });

  it('skips NaN and reduces long series to bucket medians', () => {
    const x = Array.from({ length: 5000 }, (_, i) => i);
    const y = x.map((t) => (t % 7 === 0 ? Number.NaN : 3 * t));
    const f = theilSen(x, y);
    expect(f.slope).toBeCloseTo(3, 6);
    expect(f.n).toBeLessThanOrEqual(256);
  });

  it('a flat series is a flat line; one point is no line', () => {
    expect(theilSen([1, 2, 3], [4, 4, 4])).toMatchObject({ slope: 0, r2: 1 });
    expect(Number.isNaN(theilSen([1], [1]).slope)).toBe(true);
  });
});

describe('lowerEnvelope', () => {
  it('keeps the minimum of each time slice, with its time', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [5, 1, 7, 2, 9, 3, 8, 4];
    expect(lowerEnvelope(x, y, 4)).toEqual({ x: [1, 3, 5, 7], y: [1, 2, 3, 4] });
  });
});

describe('median', () => {
  it('of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
