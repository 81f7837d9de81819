import type { SampleTableBuilder } from '../../model/samples.js';
import { KEY_VALUE } from './parse-file.js';

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
  /** 'kv': "key value" lines; 'single': one value; 'text': always the text parser. */
  mode: 'kv' | 'single' | 'text';
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
        mode: KEY_VALUE.has(name) ? 'kv' : name === 'memory.pressure' ? 'text' : 'single',
        name,
        field: -1,
        keys: new Map(),
        order: [],
      };
      this.shapes.set(name, shape);
    }
    if (shape.mode === 'single') return this.single(shape, data, row);
    if (shape.mode === 'kv') return this.keyValues(shape, data, row);
    return false;
  }

  private single(shape: FileShape, data: Buffer, row: number): boolean {
    const n = data[data.length - 1] === 0x0a ? data.length - 1 : data.length;
    const v = readValue(data, 0, n);
    if (Number.isNaN(v)) return false;
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
      if (Number.isNaN(v)) return false;
      if (count === this.fields.length) this.growScratch();
      this.fields[count] = this.keyField(shape, data, ks, ke, line);
      this.values[count] = v;
      count++;
      line++;
      i = e + 1;
    }
    for (let k = 0; k < count; k++) this.b.set(row, this.fields[k], this.values[k]);
    return true;
  }

  private keyField(shape: FileShape, data: Buffer, ks: number, ke: number, line: number): number {
    const seen = shape.order[line];
    if (seen && seen.bytes.length === ke - ks) {
      const kb = seen.bytes;
      let same = true;
      for (let j = 0; j < kb.length; j++) {
        if (kb[j] !== data[ks + j]) {
          same = false;
          break;
        }
      }
      if (same) return seen.field;
    }
    const key = data.toString('latin1', ks, ke);
    let field = shape.keys.get(key);
    if (field === undefined) {
      field = this.b.fieldId(`${shape.name}:${key}`);
      shape.keys.set(key, field);
    }
    // Only the first few hundred positions: a file with thousands of lines is not memory.stat.
    if (line < 512) shape.order[line] = { bytes: Buffer.from(key, 'latin1'), field };
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
