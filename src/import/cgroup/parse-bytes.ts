import type { SampleTableBuilder } from '../../model/samples.js';
import { KEY_VALUE, MAX_FILES } from './parse-file.js';

/**
 * Parses cgroup memory files straight from bytes into a SampleTableBuilder row: no text decoding,
 * no line splitting, no 'file:key' strings per value. A node-scale capture holds a million files
 * and five million memory.stat lines; this is the loop they all go through.
 *
 * It reads only the shapes the kernel writes — "key digits\n" lines, or one "digits\n" (or
 * "max\n") — and says no to anything else, so the caller hands such a file to parseCgroupFile,
 * the text parser, which gives the very same fields and values and reports what is wrong with
 * line numbers. Nothing is written to the row until the whole file has been accepted, so a file
 * refused halfway is not counted twice.
 */

/** What memlens knows about one file name, learnt on first sight and reused for every file. */
interface FileShape {
  /** 'kv': "key value" lines; 'single': one value; 'pressure': PSI "some avg10=0.00 … total=N". */
  mode: 'kv' | 'single' | 'pressure';
  name: string;
  /** For 'single': the field id of the value (-1 until first seen). */
  field: number;
  /** For 'kv': field id per key. */
  keys: Map<string, number>;
  /**
   * For 'kv': the key seen at each line position last time, with its bytes. The kernel prints
   * memory.stat's keys in the same order every time, so comparing the bytes at a position with
   * the last key there finds the field without building a string.
   */
  order: { bytes: Buffer; field: number }[];
}

// Up to 15 digits is exact in a double when accumulated; longer numbers go through Number().
const MAX_FAST_DIGITS = 15;

export class CgroupBytesParser {
  private readonly shapes = new Map<string, FileShape>();
  private fields = new Int32Array(128);
  private values = new Float64Array(128);

  constructor(private readonly b: SampleTableBuilder) {}

  /** Parses `data` (a file called `name`) into `row`; false when the text parser must do it. */
  parse(name: string, data: Buffer, row: number): boolean {
    let shape = this.shapes.get(name);
    if (!shape) {
      shape = {
        mode: KEY_VALUE.has(name) ? 'kv' : name === 'memory.pressure' ? 'pressure' : 'single',
        name,
        field: -1,
        keys: new Map(),
        order: [],
      };
      this.shapes.set(name, shape);
    }
    if (shape.mode === 'single') return this.single(shape, data, row);
    if (shape.mode === 'kv') return this.keyValues(shape, data, row);
    return this.pressure(shape, data, row);
  }

  private single(shape: FileShape, data: Buffer, row: number): boolean {
    const n = data[data.length - 1] === 0x0a ? data.length - 1 : data.length;
    const v = readValue(data, 0, n);
    // "max" outside a limit file: the text parser reports it.
    if (Number.isNaN(v) || (v === Number.POSITIVE_INFINITY && !MAX_FILES.has(shape.name))) return false;
    if (shape.field < 0) shape.field = this.b.fieldId(shape.name);
    this.b.set(row, shape.field, v);
    return true;
  }

  private keyValues(shape: FileShape, data: Buffer, row: number): boolean {
    const len = data.length;
    let count = 0;
    let line = 0;
    let i = 0;
    while (i < len) {
      if (data[i] === 0x0a) {
        i++; // an empty line, as the text parser skips it
        continue;
      }
      const ks = i;
      // Keys are printable ASCII without spaces; anything else (tabs, CR, Latin-1 spaces that
      // String.trim() would strip) goes to the text parser.
      while (i < len && data[i] > 0x20 && data[i] < 0x7f) i++;
      if (i === ks || i >= len || data[i] !== 0x20) return false;
      const ke = i++;
      let e = i;
      while (e < len && data[e] !== 0x0a) e++;
      const v = readValue(data, i, e);
      if (!Number.isFinite(v)) return false;
      if (count === this.fields.length) this.growScratch();
      this.fields[count] = this.keyField(shape, data, ks, ke, -1, -1, line);
      this.values[count] = v;
      count++;
      line++;
      i = e + 1;
    }
    this.commit(row, count);
    return true;
  }

  /** "some avg10=0.00 avg60=0.00 avg300=0.00 total=12345" lines → 'memory.pressure:some.avg10'… */
  private pressure(shape: FileShape, data: Buffer, row: number): boolean {
    const len = data.length;
    let count = 0;
    let pos = 0;
    let i = 0;
    while (i < len) {
      if (data[i] === 0x0a) {
        i++;
        continue;
      }
      const ks = i;
      while (i < len && isWordByte(data[i])) i++;
      if (i === ks || i >= len || data[i] !== 0x20) return false;
      const ke = i;
      while (i < len && data[i] === 0x20) {
        const ps = ++i;
        while (i < len && data[i] !== 0x3d && isWordByte(data[i])) i++;
        if (i === ps || i >= len || data[i] !== 0x3d) return false;
        const pe = i++;
        const vs = i;
        while (i < len && isWordByte(data[i])) i++;
        const v = readDecimal(data, vs, i);
        if (Number.isNaN(v)) return false;
        if (count === this.fields.length) this.growScratch();
        this.fields[count] = this.keyField(shape, data, ks, ke, ps, pe, pos++);
        this.values[count] = v;
        count++;
      }
      if (i < len && data[i] !== 0x0a) return false;
      i++;
    }
    this.commit(row, count);
    return true;
  }

  private commit(row: number, count: number): void {
    for (let k = 0; k < count; k++) this.b.set(row, this.fields[k], this.values[k]);
  }

  /**
   * The field of the key in data[ks, ke) — or of "<kind>.<key>" when a second part [ps, pe) is
   * given — found by comparing bytes with what the same position held last time.
   */
  private keyField(
    shape: FileShape,
    data: Buffer,
    ks: number,
    ke: number,
    ps: number,
    pe: number,
    pos: number,
  ): number {
    const seen = shape.order[pos];
    if (seen && sameBytes(seen.bytes, 0, data, ks, ke)) {
      if (ps < 0 && seen.bytes.length === ke - ks) return seen.field;
      if (
        ps >= 0 &&
        seen.bytes.length === ke - ks + 1 + pe - ps &&
        sameBytes(seen.bytes, ke - ks + 1, data, ps, pe)
      )
        return seen.field;
    }
    const key =
      ps < 0
        ? data.toString('latin1', ks, ke)
        : `${data.toString('latin1', ks, ke)}.${data.toString('latin1', ps, pe)}`;
    let field = shape.keys.get(key);
    if (field === undefined) {
      field = this.b.fieldId(`${shape.name}:${key}`);
      shape.keys.set(key, field);
    }
    // Only the first few hundred positions: a file with thousands of lines is not memory.stat.
    if (pos < 512) shape.order[pos] = { bytes: Buffer.from(key, 'latin1'), field };
    return field;
  }

  private growScratch(): void {
    const f = new Int32Array(this.fields.length * 2);
    f.set(this.fields);
    this.fields = f;
    const v = new Float64Array(this.values.length * 2);
    v.set(this.values);
    this.values = v;
  }
}

/** Printable ASCII other than space: what keys and values are made of. */
function isWordByte(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** True when `stored` from `at` begins with data[s, e) (and, for a whole key, ends there). */
function sameBytes(stored: Buffer, at: number, data: Buffer, s: number, e: number): boolean {
  if (at + e - s > stored.length) return false;
  for (let j = s; j < e; j++) if (stored[at + j - s] !== data[j]) return false;
  return true;
}

/**
 * A decimal like "0.00" or "12345" as Number() reads it: digits over a power of ten is the
 * correctly rounded quotient of two exact doubles, the same double Number() gives. NaN for
 * anything else (exponents, signs), which sends the file to the text parser.
 */
function readDecimal(data: Buffer, s: number, e: number): number {
  let v = 0;
  let digits = 0;
  let scale = 1;
  let dot = false;
  for (let i = s; i < e; i++) {
    const c = data[i];
    if (c === 0x2e && !dot && digits > 0) {
      dot = true;
      continue;
    }
    const d = c - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
    digits++;
    if (dot) scale *= 10;
  }
  if (digits === 0 || data[e - 1] === 0x2e) return Number.NaN;
  return digits > MAX_FAST_DIGITS ? Number(data.toString('latin1', s, e)) : v / scale;
}

/**
 * The value in data[s, e): plain digits, or "max" (no limit). NaN for anything else, which sends
 * the file to the text parser (negative or fractional numbers, stray spaces, garbage).
 */
function readValue(data: Buffer, s: number, e: number): number {
  const n = e - s;
  if (n <= 0) return Number.NaN;
  if (n === 3 && data[s] === 0x6d && data[s + 1] === 0x61 && data[s + 2] === 0x78) {
    return Number.POSITIVE_INFINITY;
  }
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = data[i] - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  // Beyond 2^53 the running sum rounds differently from the parser's Number(); ask it instead.
  return n > MAX_FAST_DIGITS ? Number(data.toString('latin1', s, e)) : v;
}
