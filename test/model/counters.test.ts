import { describe, expect, it } from 'vitest';
import { bridgeResets } from '../../src/model/counters.js';

describe('bridgeResets', () => {
  it('keeps a monotone counter as it is', () => {
    const a = Float64Array.from([0, 1, 1, 3]);
    expect(bridgeResets(a, 0, a.length)).toBe(0);
    expect([...a]).toEqual([0, 1, 1, 3]);
  });
  it('adds the value before a reset to everything after it', () => {
    const a = Float64Array.from([2, 3, 0, 1, 0, 2]);
    expect(bridgeResets(a, 0, a.length)).toBe(2);
    expect([...a]).toEqual([2, 3, 3, 4, 4, 6]);
  });
  it('skips unknown samples without breaking the chain, and respects the range', () => {
    const a = Float64Array.from([9, 5, Number.NaN, 1, 2]);
    bridgeResets(a, 1, a.length);
    expect([...a]).toEqual([9, 5, Number.NaN, 6, 7]);
  });
});
