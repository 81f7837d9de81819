/**
 * Grafana "Formatted data" cells: the panel unit applied to the value, e.g. `118 MiB` (unit
 * `bytes`, IEC), `1.2 GB` / `500 kB` (`decbytes`, SI), `1.23 K` / `4.5 Mil` (`short`). Reading
 * them back is lossy (Grafana rounds to the panel's decimals); the importer says so.
 */
const FACTORS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
  eib: 1024 ** 6,
  zib: 1024 ** 7,
  yib: 1024 ** 8,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  eb: 1e18,
  zb: 1e21,
  yb: 1e24,
  k: 1e3,
  m: 1e6,
  mil: 1e6,
  bil: 1e9,
  g: 1e9,
  tri: 1e12,
  t: 1e12,
};

// One way to match each number: `\d+\.?\d*` could split a run of digits in n ways, and a long
// cell of digits made the match take seconds (found by npm run fuzz).
const RE = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*([a-z]+)\s*$/i;

/** The value of a formatted cell, or undefined when it is not one. */
export function parseFormattedValue(text: string): number | undefined {
  // "1.23 GiB" is a few characters; a long cell is no formatted value.
  if (text.length > 64) return undefined;
  const m = RE.exec(text);
  if (!m) return undefined;
  const f = FACTORS[m[2].toLowerCase()];
  return f === undefined ? undefined : Number(m[1]) * f;
}
