import { describe, expect, it } from 'vitest';
import type { ParsedTime } from '../../../src/import/text/time.js';
import { epochToMs, isTimeZone, parseTimeText, wallToUtc } from '../../../src/import/text/time.js';

const T = Date.UTC(2023, 10, 14, 22, 13, 20);

function parse(s: string, tz?: string): ParsedTime | null {
  const out: ParsedTime = { ms: 0, kind: 'epoch' };
  return parseTimeText(s, tz, out) ? out : null;
}

describe('timestamps', () => {
  it('tells epoch units apart by magnitude', () => {
    expect(epochToMs(1700000000)).toBe(T);
    expect(epochToMs(1700000000000)).toBe(T);
    expect(epochToMs(1700000000000000)).toBe(T);
    expect(epochToMs(1700000000000000000)).toBe(T);
    expect(epochToMs(1435781430.781)).toBe(1435781430781);
  });

  it('reads RFC3339 with a zone, and Python/VictoriaMetrics variants', () => {
    expect(parse('2023-11-14T22:13:20Z')).toEqual({ ms: T, kind: 'zoned' });
    expect(parse('2023-11-14T23:13:20+01:00')?.ms).toBe(T);
    expect(parse('2023-11-14 22:13:20+00:00')?.ms).toBe(T);
    expect(parse('2023-11-14T22:13:23.217Z')?.ms).toBe(T + 3217);
    expect(parse('1700000000.5')).toEqual({ ms: T + 500, kind: 'epoch' });
  });

  it('reads zone-less wall time in the given zone, across DST', () => {
    expect(parse('2023-11-14 22:13:20')).toEqual({ ms: T, kind: 'wall' });
    expect(parse('2023-11-14 23:13:20', 'Europe/Berlin')?.ms).toBe(T);
    // summer time: UTC+2
    expect(parse('2023-07-01 12:00:00', 'Europe/Berlin')?.ms).toBe(Date.UTC(2023, 6, 1, 10));
    expect(wallToUtc(Date.UTC(2023, 6, 1, 12), 'America/New_York')).toBe(Date.UTC(2023, 6, 1, 16));
    expect(parse('2023-11-14 23:43:20', '+01:30')?.ms).toBe(T);
    expect(parse('2023-11-14 22:13:20', 'Z')?.ms).toBe(T);
  });

  it('rejects what is no time', () => {
    expect(parse('yesterday')).toBeNull();
    expect(parse('-5')).toBeNull();
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
