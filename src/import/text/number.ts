/**
 * Sample values as exporters write them, read straight from bytes so the hot import loop never
 * builds a string per cell. Spellings (formats.md §6.8): Go `%g` and 'f' (`1.23456789e+08`,
 * `123456789`), JS `toString` (`1e+21`, `Infinity`), Prometheus `NaN`/`+Inf`/`-Inf`, and the "no
 * sample" words `null`, `undefined`, `-` and the empty cell.
 *
 * Returns the value, NaN for "no sample", or undefined when the cell is not a number at all (the
 * caller counts it as bad input).
 */
export function parseNumber(buf: Uint8Array, s: number, e: number): number | undefined {
  // Plain integers of up to 15 digits (timestamps, byte counts) are most cells: no other checks.
  if (e > s && e - s <= 15) {
    let x = 0;
    let i = s;
    for (; i < e; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      x = x * 10 + d;
    }
    if (i === e) return x;
  }
  while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9 || buf[e - 1] === 13)) e--;
  if (s === e) return Number.NaN;
  let i = s;
  let neg = false;
  let c = buf[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  // Clinger's fast path: up to 15 significant digits and a power of ten up to 22 are exact in a
  // double, so one multiplication or division gives the correctly rounded result.
  let mant = 0;
  let sig = 0;
  let scale = 0;
  let digits = 0;
  let dot = false;
  for (; i < e; i++) {
    c = buf[i];
    if (c >= 48 && c <= 57) {
      digits++;
      if (mant === 0 && c === 48) {
        if (dot) scale--;
        continue;
      }
      mant = mant * 10 + (c - 48);
      sig++;
      if (dot) scale--;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0) return special(buf, s, e);
  if (i < e) {
    if (buf[i] !== 101 && buf[i] !== 69) return undefined;
    i++;
    let eneg = false;
    if (buf[i] === 45) {
      eneg = true;
      i++;
    } else if (buf[i] === 43) i++;
    let x = 0;
    const start = i;
    for (; i < e; i++) {
      c = buf[i];
      if (c < 48 || c > 57) return undefined;
      x = x * 10 + (c - 48);
    }
    if (i === start) return undefined;
    scale += eneg ? -x : x;
  }
  if (sig <= 15 && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? mant / POW10[-scale] : mant * POW10[scale];
    return neg ? -v : v;
  }
  // Long or extreme numbers: let the engine round them (the text is already validated).
  return Number(latin1(buf, s, e));
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const WORDS: Record<string, number> = {
  nan: Number.NaN,
  null: Number.NaN,
  undefined: Number.NaN,
  none: Number.NaN,
  '-': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

function special(buf: Uint8Array, s: number, e: number): number | undefined {
  if (e - s > 9) return undefined;
  const w = WORDS[latin1(buf, s, e).toLowerCase()];
  return w;
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]);
  return out;
}

const encoder = new TextEncoder();

/** The same rules for a value that is already a string (JSON formats). */
export function parseNumberText(text: string): number | undefined {
  const b = encoder.encode(text);
  return parseNumber(b, 0, b.length);
}

/** A JSON sample value: number, numeric string, null, or "Infinity"-style strings. */
export function jsonValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === null) return Number.NaN;
  if (typeof v === 'string') return parseNumberText(v);
  return undefined;
}
