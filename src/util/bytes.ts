const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Human size in binary units, e.g. 33554432 → "32 MiB", 1536 → "1.5 KiB". Unknown → "?". */
export function formatBytes(n: number | null | undefined): string {
  if (n == null || Number.isNaN(n)) return '?';
  if (n === Number.POSITIVE_INFINITY) return 'unlimited';
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  // Three significant digits are enough to compare numbers in a sentence.
  const s = i === 0 ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${sign}${s.replace(/\.0+$|(\.\d*?)0+$/, '$1')} ${UNITS[i]}`;
}

/** A ratio as a percentage with one decimal, e.g. 0.9734 → "97.3 %". */
export function formatPercent(r: number | null | undefined): string {
  if (r == null || !Number.isFinite(r)) return '?';
  return `${(r * 100).toFixed(1)} %`;
}

const SIZE_RE = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kmgtp]?i?b?)?\s*$/i;
const FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  p: 1e15,
  pb: 1e15,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
};

/** Parses "512Mi", "1.5 GiB", "2e9", "118 MiB" to bytes; NaN when it is not a size. */
export function parseSize(text: string): number {
  const m = SIZE_RE.exec(text);
  if (!m) return Number.NaN;
  const f = FACTORS[(m[2] ?? '').toLowerCase()];
  return f === undefined ? Number.NaN : Number(m[1]) * f;
}
