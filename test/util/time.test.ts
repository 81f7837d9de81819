import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/util/time.js';

describe('formatDuration', () => {
  it('says what a sentence needs from milliseconds to days', () => {
    expect(
      [0, 217, 499, 500, 15_000, 90_000, 7_200_000, 3 * 86_400_000 + 3_600_000].map(formatDuration),
    ).toEqual(['0s', '217 ms', '499 ms', '1s', '15s', '1m 30s', '2h', '3d 1h']);
    expect(formatDuration(-1)).toBe('?');
  });
});
