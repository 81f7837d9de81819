/** A binary unit for a chart's byte axis, chosen once per chart so ticks fall on round numbers of it. */
export interface ByteUnit {
  name: 'KiB' | 'MiB' | 'GiB';
  bytes: number;
}

const UNITS: ByteUnit[] = [
  { name: 'GiB', bytes: 1024 ** 3 },
  { name: 'MiB', bytes: 1024 ** 2 },
  { name: 'KiB', bytes: 1024 },
];

/** The largest unit the maximum is at least 4 of (4 GiB → GiB, 3 GiB → 3072 MiB): no "0.5" ticks. */
export function byteUnitFor(maxBytes: number): ByteUnit {
  for (const u of UNITS) if (maxBytes >= 4 * u.bytes) return u;
  return UNITS[UNITS.length - 1];
}

/** Bytes in the unit, rounded to 3 decimals: precise enough to draw, small enough to embed. */
export function inUnit(bytes: number, unit: ByteUnit): number {
  return Math.round((bytes / unit.bytes) * 1000) / 1000;
}
