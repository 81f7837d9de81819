import { describe, expect, it } from 'vitest';
import { formatInZone, isTimeZone, times } from '../../src/report/format.js';

const T = Date.parse('2026-07-01T23:30:00Z');

describe('times in --tz', () => {
  it('writes wall-clock time in an IANA zone, daylight saving included, and in fixed offsets', () => {
    expect(formatInZone(T, 'Europe/Berlin')).toBe('2026-07-02 01:30:00 Europe/Berlin');
    expect(formatInZone(Date.parse('2026-01-01T23:30:00Z'), 'Europe/Berlin')).toBe(
      '2026-01-02 00:30:00 Europe/Berlin',
    );
    expect(formatInZone(T, '-05:30')).toBe('2026-07-01 18:00:00 -05:30');
    expect(formatInZone(T, '+0200')).toBe('2026-07-02 01:30:00 +0200');
  });

  it('knows which zones exist', () => {
    for (const z of ['UTC', 'Z', 'America/New_York', '+02:00', '-0530']) expect(isTimeZone(z)).toBe(true);
    for (const z of ['Mars/Olympus', '2 hours', '+2']) expect(isTimeZone(z)).toBe(false);
  });

  it('adds the local time only when the zone is not UTC', () => {
    expect(times(T, 'UTC')).toEqual({ utc: '2026-07-01 23:30:00 UTC' });
    expect(times(T)).toEqual({ utc: '2026-07-01 23:30:00 UTC' });
    expect(times(T, 'Asia/Tokyo')).toEqual({
      utc: '2026-07-01 23:30:00 UTC',
      local: '2026-07-02 08:30:00 Asia/Tokyo',
    });
  });
});
