import { describe, expect, it } from 'vitest';
import { parseFormattedValue } from '../../../src/import/metrics/formatted-value.js';

describe('parseFormattedValue', () => {
  it('reads Grafana "Formatted data" cells', () => {
    expect(parseFormattedValue('118 MiB')).toBe(118 * 1024 ** 2);
    expect(parseFormattedValue('1.5 GB')).toBe(1.5e9);
    expect(parseFormattedValue('.5 K')).toBe(500);
    expect(parseFormattedValue('4.5 Mil')).toBe(4.5e6);
    expect(parseFormattedValue('7 parsecs')).toBeUndefined();
  });

  it('turns down a long cell of digits at once (it took seconds before: npm run fuzz)', () => {
    // Quadratic backtracking on this would take minutes, past the test timeout.
    expect(parseFormattedValue(`${'9'.repeat(200_000)}x`)).toBeUndefined();
    expect(parseFormattedValue(`${'9'.repeat(60)} x`)).toBeUndefined();
  });
});
