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

  it('skips pairs that are not finite, and spans the slices from the first finite time to the last', () => {
    const x = [Number.NaN, 10, 11, 12, 13, 14, 15, 16, 17, Number.POSITIVE_INFINITY];
    const y = [0, 5, 1, Number.NaN, 2, 9, 3, 8, 4, 0];
    expect(lowerEnvelope(x, y, 4)).toEqual({ x: [11, 13, 15, 17], y: [1, 2, 3, 4] });
    expect(lowerEnvelope([Number.NaN], [1], 4)).toEqual({ x: [], y: [] });
  });
});

describe('median', () => {
  it('of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('is the middle of the sorted values, whatever their order, repeats and infinities', () => {
    // Seeded so a failure can be replayed.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sorted = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    for (let t = 0; t < 5000; t++) {
      const n = 1 + Math.floor(rand() * 60);
      const v = Array.from({ length: n }, () => {
        const r = rand();
        if (r < 0.02) return r < 0.01 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        // Many repeats, as time steps and flat series have.
        return r < 0.4 ? Math.floor(rand() * 4) : (rand() - 0.5) * 1e9;
      });
      expect(median(v)).toBe(sorted(v));
      expect(median(Float64Array.from(v))).toBe(sorted(v));
    }
    // Sorted and reversed input (time steps are nearly all equal and ascending).
    const steps = Array.from({ length: 719 }, (_, i) => 15_000 + (i === 300 ? 60_000 : 0));
    expect(median(steps)).toBe(15_000);
    expect(median([...steps].reverse())).toBe(15_000);
    // A NaN keeps the order the comparator sort gives it, as before.
    expect(median([3, Number.NaN, 1])).toBe(sorted([3, Number.NaN, 1]));
  });
});
