/** ISO-8601 UTC with millisecond precision, or null for unknown times. */
export function iso(ms: number | null | undefined): string | null {
  // Beyond ±8.64e15 ms (year 275760) a Date is invalid and toISOString throws.
  if (ms == null || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

// RFC3339 as capture folders and exports write it: date, 'T' or space, time, optional fraction, zone.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an RFC3339 timestamp (zone required) to epoch ms; NaN when it is not one. */
export function parseRfc3339(text: string): number {
  const m = RFC3339_RE.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, frac ? Math.round(Number(`0${frac}`) * 1000) : 0);
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(ms) ? Number.NaN : ms;
}

// Unix seconds between 2001-09-09 (1e9) and 2286 (1e10 − 1): wide enough for every real capture,
// narrow enough that a container ID made of digits or a small counter is never read as a time.
const UNIX_SECONDS_RE = /^(\d{10})(\.\d+)?$/;

/** Parses unix seconds ("1764270348" or "1764270348.25") to epoch ms; NaN otherwise. */
export function parseUnixSeconds(text: string): number {
  const m = UNIX_SECONDS_RE.exec(text);
  return m ? Math.round(Number(text) * 1000) : Number.NaN;
}

/** A snapshot folder name: RFC3339 UTC or unix seconds. NaN when it is neither. */
export function parseSnapshotName(name: string): number {
  const t = parseRfc3339(name);
  return Number.isNaN(t) ? parseUnixSeconds(name) : t;
}

/** "1h 2m", "35s", "2d 3h" — durations in finding messages. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  // "within 0s" reads as "at the same instant": say the milliseconds.
  if (s === 0 && ms > 0) return `${Math.max(1, Math.round(ms))} ms`;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Short wall-clock time in UTC for sentences: "2026-11-27 19:05:48 UTC". */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return '?';
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$|Z$/, '')} UTC`;
}
