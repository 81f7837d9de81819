/**
 * Interns byte sequences (the label cells of a CSV row, the `name{labels}` of an exposition line)
 * to integer ids without making a string per row: an open-addressing hash table over an arena of
 * the distinct keys. A key may be given in several spans of the same buffer (label columns that
 * are not next to each other); spans are hashed and compared as if joined with a 0 byte.
 *
 * Rows of one series usually come together, so the last key is checked first and most rows cost
 * one byte comparison and no hashing.
 */
export class ByteInterner {
  private arena = Buffer.alloc(1 << 16);
  private used = 0;
  private keyStart = new Int32Array(256);
  private keyLen = new Int32Array(256);
  private slots = new Int32Array(1024).fill(-1);
  private count = 0;
  private last = -1;

  get size(): number {
    return this.count;
  }

  /** Id of the key found or added last (-1 before any): the one a row of the same series repeats. */
  get lastId(): number {
    return this.last;
  }

  /** The stored bytes of key `id` (spans joined by a 0 byte), as a view into the arena. */
  keyBytes(id: number): Uint8Array {
    return this.arena.subarray(this.keyStart[id], this.keyStart[id] + this.keyLen[id]);
  }

  /**
   * The id of the key made of spans [s0,e0), [s1,e1)… of `buf` (flat array of starts and ends),
   * or -1 when it is new (call `add` with the same spans to give it the next id).
   */
  find(buf: Uint8Array, spans: Int32Array, nspans: number): number {
    if (this.last >= 0 && this.equals(this.last, buf, spans, nspans)) return this.last;
    const h = hash(buf, spans, nspans);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const id = this.slots[i];
      if (id < 0) return -1;
      if (this.equals(id, buf, spans, nspans)) {
        this.last = id;
        return id;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds the key (known to be new) and returns its id. */
  add(buf: Uint8Array, spans: Int32Array, nspans: number): number {
    const id = this.count++;
    let len = nspans - 1;
    for (let k = 0; k < nspans; k++) len += spans[2 * k + 1] - spans[2 * k];
    if (this.used + len > this.arena.length) {
      const next = Buffer.alloc(Math.max(this.arena.length * 2, this.used + len + 1024));
      this.arena.copy(next, 0, 0, this.used);
      this.arena = next;
    }
    if (id >= this.keyStart.length) {
      const s = new Int32Array(this.keyStart.length * 2);
      s.set(this.keyStart);
      this.keyStart = s;
      const l = new Int32Array(this.keyLen.length * 2);
      l.set(this.keyLen);
      this.keyLen = l;
    }
    this.keyStart[id] = this.used;
    for (let k = 0; k < nspans; k++) {
      if (k > 0) this.arena[this.used++] = 0;
      const s = spans[2 * k];
      const e = spans[2 * k + 1];
      this.arena.set(buf.subarray(s, e), this.used);
      this.used += e - s;
    }
    this.keyLen[id] = len;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.place(id);
    this.last = id;
    return id;
  }

  private place(id: number): void {
    const h = hashArena(this.arena, this.keyStart[id], this.keyLen[id]);
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] >= 0) i = (i + 1) & mask;
    this.slots[i] = id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let id = 0; id < this.count; id++) this.place(id);
  }

  private equals(id: number, buf: Uint8Array, spans: Int32Array, nspans: number): boolean {
    if (nspans === 1) {
      // One span (the common case): a native memcmp beats a byte loop on keys of tens of bytes.
      const s = spans[0];
      const e = spans[1];
      const at = this.keyStart[id];
      return e - s === this.keyLen[id] && this.arena.compare(buf, s, e, at, at + e - s) === 0;
    }
    const a = this.arena;
    let p = this.keyStart[id];
    const end = p + this.keyLen[id];
    for (let k = 0; k < nspans; k++) {
      if (k > 0) {
        if (p >= end || a[p] !== 0) return false;
        p++;
      }
      const e = spans[2 * k + 1];
      for (let i = spans[2 * k]; i < e; i++, p++) if (p >= end || a[p] !== buf[i]) return false;
    }
    return p === end;
  }
}

// FNV-1a, 32 bit. The separator between spans hashes as a 0 byte, as it is stored.
function hash(buf: Uint8Array, spans: Int32Array, nspans: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < nspans; k++) {
    if (k > 0) h = Math.imul(h, 0x01000193);
    const e = spans[2 * k + 1];
    for (let i = spans[2 * k]; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  }
  return h >>> 0;
}

function hashArena(a: Uint8Array, s: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < s + len; i++) h = Math.imul(h ^ a[i], 0x01000193);
  return h >>> 0;
}
