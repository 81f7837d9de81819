import { parseRfc3339 } from '../../util/time.js';
import { parseNumber } from './number.js';

/**
 * Timestamps as exporters write them, to epoch milliseconds:
 * - epoch numbers in seconds (Prometheus JSON, query_csv.py, pandas), milliseconds (Grafana raw,
 *   VictoriaMetrics, exposition), microseconds or nanoseconds (VictoriaMetrics unix_ns), told
 *   apart by magnitude, int or float;
 * - RFC3339 with a zone (promql-cli, VictoriaMetrics rfc3339, legacy Grafana, Python `+00:00`);
 * - wall-clock `YYYY-MM-DD HH:mm:ss[.sss]` with no zone (Grafana "Formatted data", pandas
 *   to_datetime): read in `tz` (IANA name, default UTC); the caller warns that it assumed one.
 */
export type TimeKind = 'epoch' | 'zoned' | 'wall';

export interface ParsedTime {
  ms: number;
  kind: TimeKind;
}

/** Epoch number → ms, the unit told by magnitude (seconds until year 5138, then ms, µs, ns). */
export function epochToMs(v: number): number {
  const a = Math.abs(v);
  if (a < 1e11) return Math.round(v * 1000);
  if (a < 1e14) return Math.round(v);
  if (a < 1e17) return Math.round(v / 1e3);
  return Math.round(v / 1e6);
}

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/** Parses one timestamp text; NaN ms when it is not a time. */
export function parseTimeText(text: string, tz: string | undefined, out: ParsedTime): boolean {
  const s = text.trim();
  const z = parseRfc3339(s);
  if (!Number.isNaN(z)) {
    out.ms = z;
    out.kind = 'zoned';
    return true;
  }
  const m = WALL_RE.exec(s);
  if (m) {
    const wall = Date.UTC(
      +m[1],
      +m[2] - 1,
      +m[3],
      +m[4],
      +m[5],
      m[6] ? +m[6] : 0,
      m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0,
    );
    out.ms = tz ? wallToUtc(wall, tz) : wall;
    out.kind = 'wall';
    return !Number.isNaN(out.ms);
  }
  const b = Buffer.from(s, 'latin1');
  const v = parseNumber(b, 0, b.length);
  if (v === undefined || !Number.isFinite(v) || v <= 0) return false;
  out.ms = epochToMs(v);
  out.kind = 'epoch';
  return true;
}

/**
 * Parses the timestamp in bytes [s, e): the epoch fast path without a string, else the text path.
 * Returns false when the cell is not a time.
 */
export function parseTimeBytes(
  buf: Uint8Array,
  s: number,
  e: number,
  tz: string | undefined,
  out: ParsedTime,
): boolean {
  const v = parseNumber(buf, s, e);
  if (v !== undefined && Number.isFinite(v) && v > 0) {
    out.ms = epochToMs(v);
    out.kind = 'epoch';
    return true;
  }
  if (e - s > 64) return false;
  return parseTimeText(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1'), tz, out);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

// Fixed offsets ("+02:00", "-0530", "Z") are zones too, as --tz accepts them.
const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;

/** The offset of a fixed-offset zone ("+02:00", "-0530") in ms, or undefined for a zone name. */
export function fixedOffsetMs(tz: string): number | undefined {
  const off = OFFSET_RE.exec(tz);
  return off ? (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) * 60_000 : undefined;
}

/** True when `tz` is an IANA time zone name this Node knows, or a fixed offset. */
export function isTimeZone(tz: string): boolean {
  if (OFFSET_RE.test(tz) || /^z$/i.test(tz)) return true;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** "2026-11-27 21:16:50": the wall-clock time of the instant `ms` in the IANA zone `tz`. */
export function wallClock(ms: number, tz: string): string {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** Offset of `tz` from UTC at the instant `utc` (ms), cached per zone and quarter hour. */
function offsetAt(utc: number, tz: string): number {
  const bucket = Math.floor(utc / 900_000);
  const key = `${tz}@${bucket}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  const at = bucket * 900_000;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(at)) if (part.type !== 'literal') p[part.type] = +part.value;
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const off = local - at;
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, off);
  return off;
}

/**
 * Every instant a wall-clock time in `tz` can mean, given one of them (`ms`): two in the hour a
 * DST change repeats (02:30 in Europe/Berlin on the last Sunday of October is 00:30Z and 01:30Z),
 * else one. Sorted.
 */
export function readingsOf(ms: number, tz: string): number[] {
  if (/^(utc|etc\/utc|z)$/i.test(tz) || fixedOffsetMs(tz) !== undefined) return [ms];
  const wall = ms + offsetAt(ms, tz);
  const out = new Set<number>([ms]);
  for (const near of [ms - 3 * 3_600_000, ms + 3 * 3_600_000]) {
    const off = offsetAt(near, tz);
    const u = wall - off;
    if (offsetAt(u, tz) === off) out.add(u);
  }
  return [...out].sort((a, b) => a - b);
}

/** A wall-clock time in `tz` (given as if it were UTC) → the UTC instant. */
export function wallToUtc(wall: number, tz: string): number {
  if (/^(utc|etc\/utc|z)$/i.test(tz)) return wall;
  const off = fixedOffsetMs(tz);
  if (off !== undefined) return wall - off;
  const first = wall - offsetAt(wall, tz);
  // Near a DST change the offset at the guess can differ from the offset at the answer.
  return wall - offsetAt(first, tz);
}
