import { formatBytes } from '../util/bytes.js';
import { formatTime } from '../util/time.js';

// Fixed offsets ("+02:00", "-0530") are zones too for exports written without a zone name.
const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;

/** "2026-11-27 21:16:50 Europe/Berlin": a wall-clock time in an IANA zone or a fixed offset. */
export function formatInZone(ms: number, tz: string): string {
  if (!Number.isFinite(ms)) return '?';
  if (/^z$/i.test(tz)) return formatInZone(ms, 'UTC');
  const off = OFFSET_RE.exec(tz);
  if (off) {
    const shift = (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) * 60_000;
    return `${new Date(ms + shift)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '')} ${tz}`;
  }
  // sv-SE writes ISO-like "YYYY-MM-DD HH:MM:SS", which sorts and reads the same everywhere.
  const s = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${s} ${tz}`;
}

/** True when `tz` is an IANA zone name this Node knows, or a fixed offset like +02:00. */
export function isTimeZone(tz: string): boolean {
  if (OFFSET_RE.test(tz) || /^z$/i.test(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
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
