import { fixedOffsetMs, isTimeZone, wallClock } from '../import/text/time.js';
import { formatBytes } from '../util/bytes.js';
import { formatTime } from '../util/time.js';

// --tz is checked with the same rule the importers read zones by.
export { isTimeZone };

/** "2026-11-27 21:16:50 Europe/Berlin": a wall-clock time in an IANA zone or a fixed offset. */
export function formatInZone(ms: number, tz: string): string {
  if (!Number.isFinite(ms)) return '?';
  if (/^z$/i.test(tz)) return formatInZone(ms, 'UTC');
  // Fixed offsets ("+02:00", "-0530") are zones too for exports written without a zone name.
  const shift = fixedOffsetMs(tz);
  if (shift !== undefined) {
    return `${new Date(ms + shift)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '')} ${tz}`;
  }
  return `${wallClock(ms, tz)} ${tz}`;
}

/** A time in UTC, and in `tz` too when one was given and it is not UTC. */
export function times(ms: number, tz?: string): { utc: string; local?: string } {
  const utc = formatTime(ms);
  return tz && !/^(utc|etc\/utc|z)$/i.test(tz) ? { utc, local: formatInZone(ms, tz) } : { utc };
}

/** Bytes for a table cell: "unknown" is clearer than "?" in a report. */
export function bytesCell(v: number | null, unlimited = false): string {
  if (unlimited) return 'none';
  return v === null ? '—' : formatBytes(v);
}
