/**
 * A push parser for tar streams: feed it chunks as they arrive (from a file, gunzip, zstd) and it
 * calls back once per entry with the entry's header and its contents as a view into the chunk
 * whenever the entry lies within one (the common case for small cgroup files); only an entry
 * that straddles two chunks is copied. No stream object, promise or closure per entry: a
 * node-scale capture has over a million entries, and tar-stream's per-entry streams cost more
 * than decompressing them.
 *
 * Formats: POSIX ustar (name + prefix), pax extended headers (path, linkpath, size, mtime; global
 * headers are read and ignored, as tar-stream does), GNU long names and long link names
 * (././@LongLink), GNU base-256 numbers, old v7 headers. Checksums are verified (signed and
 * unsigned sums, as GNU tar accepts both).
 */

const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'link' | 'other';

export interface TarHeader {
  /**
   * The entry's name exactly as stored (pax and GNU long names applied), as UTF-8 bytes in
   * nameBytes[0, nameLength): a source can compare them with the last entry's folder before
   * paying for a string. The buffer is reused for every entry.
   */
  nameBytes: Buffer;
  nameLength: number;
  type: TarEntryType;
  size: number;
  mtimeMs: number;
  linkname: string;
}

/**
 * Called once per entry. `data` is the entry's contents, valid only during the call (it may be a
 * view into a buffer that is reused); null when the entry is larger than `maxEntryBytes` or not a
 * regular file (its bytes are skipped unread).
 */
export type TarEntryHandler = (header: TarHeader, data: Buffer | null) => void;

/** A malformed archive; `offset` is the byte offset of the bad header in the tar stream. */
export class TarFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface TarParserOptions {
  /** Entries larger than this are skipped (handed over with null data). */
  maxEntryBytes: number;
}

// What the parser is doing with the bytes that come next.
const HEADER = 0;
const DATA = 1; // collecting an entry's contents (or an extension record's) into `pending`
const SKIP = 2; // skipping contents and padding
const DONE = 3; // after the end-of-archive marker: everything else is ignored

// Extension records that apply to the next header.
const EXT_NONE = 0;
const EXT_PAX = 1;
const EXT_PAX_GLOBAL = 2;
const EXT_GNU_NAME = 3;
const EXT_GNU_LINK = 4;

const EMPTY = Buffer.alloc(0);

export class TarParser {
  private state = HEADER;
  /** Bytes of the stream consumed so far. */
  offset = 0;
  /** Entries handed to the handler. */
  entries = 0;
  private readonly head = Buffer.alloc(BLOCK);
  private headFill = 0;
  private zeroBlocks = 0;
  // Current entry.
  private header: TarHeader = {
    nameBytes: Buffer.alloc(1024),
    nameLength: 0,
    type: 'other',
    size: 0,
    mtimeMs: 0,
    linkname: '',
  };
  private ext = EXT_NONE;
  private pending: Buffer = EMPTY;
  private pendingFill = 0;
  private remaining = 0; // bytes of contents still to read or skip
  private padding = 0; // bytes of padding after them
  // Extensions waiting for the next real header.
  // A long name (pax path or GNU long name) waits in the header's nameBytes for the next header.
  private longName = false;
  private paxWins = false;
  private paxLink: string | null = null;
  private paxSize: number | null = null;
  private paxMtime: number | null = null;
  private gnuLink: string | null = null;

  constructor(
    private readonly onEntry: TarEntryHandler,
    private readonly opts: TarParserOptions,
  ) {}

  /** True once bytes that are not tar follow an end-of-archive marker: nothing more to read. */
  get done(): boolean {
    return this.state === DONE;
  }

  /** True when the stream so far ends with an end-of-archive marker (two zero blocks). */
  get ended(): boolean {
    return this.state === DONE || (this.state === HEADER && this.headFill === 0 && this.zeroBlocks >= 2);
  }

  /** Feeds the next chunk of the tar stream. Throws TarFormatError on a malformed header. */
  push(chunk: Buffer): void {
    let at = 0;
    const n = chunk.length;
    while (at < n) {
      switch (this.state) {
        case HEADER: {
          if (this.headFill === 0 && n - at >= BLOCK) {
            this.offset += BLOCK;
            this.readHeader(chunk, at);
            at += BLOCK;
          } else {
            const take = Math.min(BLOCK - this.headFill, n - at);
            chunk.copy(this.head, this.headFill, at, at + take);
            this.headFill += take;
            at += take;
            this.offset += take;
            if (this.headFill === BLOCK) {
              this.headFill = 0;
              this.readHeader(this.head, 0);
            }
          }
          break;
        }
        case DATA: {
          const want = this.remaining;
          if (this.pendingFill === 0 && n - at >= want) {
            // The whole contents are in this chunk: hand over a view, no copy.
            const view = chunk.subarray(at, at + want);
            at += want;
            this.offset += want;
            this.remaining = 0;
            this.finishData(view);
          } else {
            const take = Math.min(want, n - at);
            chunk.copy(this.pending, this.pendingFill, at, at + take);
            this.pendingFill += take;
            this.remaining -= take;
            at += take;
            this.offset += take;
            if (this.remaining === 0) {
              const full = this.pending.subarray(0, this.pendingFill);
              this.pendingFill = 0;
              this.finishData(full);
            }
          }
          break;
        }
        case SKIP: {
          const take = Math.min(this.remaining + this.padding, n - at);
          at += take;
          this.offset += take;
          const fromData = Math.min(take, this.remaining);
          this.remaining -= fromData;
          this.padding -= take - fromData;
          if (this.remaining === 0 && this.padding === 0) this.state = HEADER;
          break;
        }
        default:
          this.offset += n - at;
          return;
      }
    }
  }

  /**
   * Called when the stream has ended. Throws TarFormatError when it ended inside an entry or
   * without the end-of-archive marker (a truncated archive).
   */
  end(): void {
    if (this.state === DONE) return;
    if (this.state === HEADER && this.headFill === 0 && this.zeroBlocks > 0) return; // one zero block: GNU tar accepts it
    if (this.state === HEADER && this.zeroBlocks >= 2) return; // a few stray bytes after a complete archive
    const inside = this.state !== HEADER || this.headFill > 0;
    throw new TarFormatError(
      inside ? 'the archive ends early (truncated)' : 'the archive ends without its end marker (truncated)',
      this.offset,
    );
  }

  private readHeader(b: Buffer, h: number): void {
    // An all-zero block: two of them end an archive. Reading goes on after them, as `tar -i`
    // does, because a capture is a series of gzip members, each a small tar archive of its own.
    if (b[h] === 0 && isZeroBlock(b, h)) {
      this.zeroBlocks++;
      return;
    }
    const start = this.offset - BLOCK;
    const afterEnd = this.zeroBlocks >= 2;
    // A lone zero block inside the archive (some writers pad): GNU tar skips it too.
    this.zeroBlocks = 0;
    if (!checksumOk(b, h)) {
      // Bytes after a complete archive that are not another archive: ignored, as tar does.
      if (afterEnd) {
        this.state = DONE;
        return;
      }
      throw new TarFormatError(`a tar header is corrupt (checksum mismatch at byte ${start})`, start);
    }
    const typeflag = b[h + 156];
    const size = readNumber(b, h + 124, 12);
    if (Number.isNaN(size) || size < 0) {
      throw new TarFormatError(`a tar header is corrupt (bad size at byte ${start})`, start);
    }
    switch (typeflag) {
      case 0x78: // 'x' pax header for the next entry
        this.collect(EXT_PAX, size);
        return;
      case 0x67: // 'g' pax global header
        this.collect(EXT_PAX_GLOBAL, size);
        return;
      case 0x4c: // 'L' GNU long name
        this.collect(EXT_GNU_NAME, size);
        return;
      case 0x4b: // 'K' GNU long link name
        this.collect(EXT_GNU_LINK, size);
        return;
    }
    const hd = this.header;
    if (!this.longName) this.ustarName(b, h);
    hd.linkname = this.paxLink ?? this.gnuLink ?? cString(b, h + 157, 100);
    hd.size = this.paxSize ?? size;
    const mtime = readNumber(b, h + 136, 12);
    hd.mtimeMs = this.paxMtime ?? (Number.isNaN(mtime) ? 0 : mtime * 1000);
    hd.type = entryType(typeflag);
    this.longName = this.paxWins = false;
    this.paxLink = this.gnuLink = null;
    this.paxSize = this.paxMtime = null;
    // Directories, links and the like carry no contents we read (a size on them is still skipped).
    const padded = padTo(hd.size);
    if (hd.type !== 'file' || hd.size > this.opts.maxEntryBytes) {
      this.entries++;
      this.onEntry(hd, null);
      this.skip(hd.size, padded - hd.size);
      return;
    }
    this.ext = EXT_NONE;
    this.startData(hd.size, padded - hd.size);
  }

  private collect(kind: number, size: number): void {
    // Extension records are a few hundred bytes; refuse absurd ones rather than allocate them.
    if (size > 1024 * 1024) {
      throw new TarFormatError(
        `a tar extended header is ${size} bytes (at byte ${this.offset - BLOCK})`,
        this.offset - BLOCK,
      );
    }
    this.ext = kind;
    this.startData(size, padTo(size) - size);
  }

  private startData(size: number, padding: number): void {
    this.remaining = size;
    this.padding = padding;
    this.pendingFill = 0;
    if (this.pending.length < size) this.pending = Buffer.allocUnsafe(Math.max(size, 64 * 1024));
    if (size === 0) {
      this.finishData(EMPTY);
      return;
    }
    this.state = DATA;
  }

  private finishData(data: Buffer): void {
    switch (this.ext) {
      case EXT_NONE:
        this.entries++;
        this.onEntry(this.header, data);
        break;
      case EXT_PAX:
        this.readPax(data);
        break;
      case EXT_GNU_NAME: {
        // The name, NUL-terminated; a pax path for the same entry wins (GNU tar does the same).
        if (this.longName && this.paxWins) break;
        let end = data.indexOf(0);
        if (end < 0) end = data.length;
        this.setName(data, 0, end);
        this.longName = true;
        break;
      }
      case EXT_GNU_LINK:
        this.gnuLink = cString(data, 0, data.length);
        break;
      // EXT_PAX_GLOBAL: read and ignored.
    }
    this.ext = EXT_NONE;
    this.skip(0, this.padding);
  }

  private skip(size: number, padding: number): void {
    this.remaining = size;
    this.padding = padding;
    this.state = size + padding > 0 ? SKIP : HEADER;
  }

  private readPax(data: Buffer): void {
    // Records: "<len> <key>=<value>\n", <len> counting the whole record.
    let at = 0;
    while (at < data.length) {
      const sp = data.indexOf(0x20, at);
      if (sp < 0 || sp - at > 12) break;
      let len = 0;
      for (let i = at; i < sp; i++) len = len * 10 + (data[i] - 0x30);
      if (!(len > 0) || at + len > data.length) break;
      const eq = data.indexOf(0x3d, sp + 1);
      if (eq < 0 || eq >= at + len) break;
      const end = at + len - 1; // the record's closing '\n'
      if (isKey(data, sp + 1, eq, PATH)) {
        this.setName(data, eq + 1, end);
        this.longName = true;
        this.paxWins = true;
      } else if (isKey(data, sp + 1, eq, LINKPATH)) {
        this.paxLink = data.toString('utf8', eq + 1, end);
      } else if (isKey(data, sp + 1, eq, SIZE)) {
        const v = Number(data.toString('latin1', eq + 1, end));
        if (Number.isFinite(v) && v >= 0) this.paxSize = v;
      } else if (isKey(data, sp + 1, eq, MTIME)) {
        const v = Number(data.toString('latin1', eq + 1, end));
        if (Number.isFinite(v)) this.paxMtime = Math.round(v * 1000);
      }
      at += len;
    }
  }

  /** Copies a name into the header's reused buffer. */
  private setName(src: Buffer, start: number, end: number): void {
    const hd = this.header;
    const n = end - start;
    if (hd.nameBytes.length < n) hd.nameBytes = Buffer.alloc(Math.max(n, hd.nameBytes.length * 2));
    src.copy(hd.nameBytes, 0, start, end);
    hd.nameLength = n;
  }

  /** POSIX ustar joins prefix and name; GNU's "ustar  " header uses that space for other fields. */
  private ustarName(b: Buffer, h: number): void {
    const nameEnd = cEnd(b, h, 100);
    if (b[h + 257] === 0x75 && b[h + 262] === 0 && b[h + 345] !== 0) {
      // "ustar\0" magic (POSIX) at 257 with a prefix: "<prefix>/<name>".
      const prefixEnd = cEnd(b, h + 345, 155);
      const hd = this.header;
      const p = prefixEnd - (h + 345);
      this.setName(b, h + 345, prefixEnd);
      hd.nameBytes[p] = 0x2f;
      b.copy(hd.nameBytes, p + 1, h, nameEnd);
      hd.nameLength = p + 1 + (nameEnd - h);
      return;
    }
    this.setName(b, h, nameEnd);
  }
}

const PATH = Buffer.from('path');
const LINKPATH = Buffer.from('linkpath');
const SIZE = Buffer.from('size');
const MTIME = Buffer.from('mtime');

function isKey(data: Buffer, s: number, e: number, key: Buffer): boolean {
  if (e - s !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (data[s + i] !== key[i]) return false;
  return true;
}

/** The decoded name of a header (for sources that want it as a string). */
export function headerName(h: TarHeader): string {
  return h.nameBytes.toString('utf8', 0, h.nameLength);
}

function padTo(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

function isZeroBlock(b: Buffer, h: number): boolean {
  for (let i = h; i < h + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

// A 32-bit view of the last chunk's memory, made once per chunk rather than once per header.
let viewed: ArrayBufferLike | null = null;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
function wordsOf(buffer: ArrayBufferLike): Uint32Array {
  if (buffer !== viewed) {
    words = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
    viewed = buffer;
  }
  return words;
}

/**
 * The header checksum: the sum of its 512 bytes with the checksum field counted as spaces. Every
 * header of a million-entry archive goes through this, so aligned headers are summed four bytes
 * at a time (two 16-bit lanes per word: 128 words × 2 × 255 fits in 16 bits).
 */
function checksumOk(b: Buffer, h: number): boolean {
  const stored = readNumber(b, h + 148, 8);
  let unsigned = 0;
  const at = b.byteOffset + h;
  if ((at & 3) === 0) {
    const words = wordsOf(b.buffer);
    const w0 = at >>> 2;
    let acc = 0;
    for (let i = w0; i < w0 + 128; i++) {
      const x = words[i];
      acc += (x & 0x00ff00ff) + ((x >>> 8) & 0x00ff00ff);
    }
    unsigned = (acc & 0xffff) + (acc >>> 16);
  } else {
    for (let i = h; i < h + BLOCK; i++) unsigned += b[i];
  }
  for (let i = h + 148; i < h + 156; i++) unsigned -= b[i];
  unsigned += 8 * 0x20;
  if (stored === unsigned) return true;
  // Some old tars summed signed bytes; GNU tar accepts either.
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[h + i];
    signed += c > 127 ? c - 256 : c;
  }
  return stored === signed;
}

/** An octal field (NUL/space padded), or GNU base-256 when the high bit of the first byte is set. */
function readNumber(b: Buffer, off: number, width: number): number {
  if (b[off] & 0x80) {
    // Base-256, big-endian two's complement; the first byte's high bit is the marker.
    let v = b[off] & 0x3f;
    const negative = (b[off] & 0x40) !== 0;
    for (let i = 1; i < width; i++) v = v * 256 + b[off + i];
    return negative ? Number.NaN : v;
  }
  let i = off;
  const end = off + width;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  if (i === end) return 0;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return Number.NaN;
    v = v * 8 + (c - 0x30);
  }
  return v;
}

/** One past the last byte of a NUL-terminated field. */
function cEnd(b: Buffer, off: number, width: number): number {
  let end = off;
  const max = off + width;
  while (end < max && b[end] !== 0) end++;
  return end;
}

function cString(b: Buffer, off: number, width: number): string {
  const end = cEnd(b, off, width);
  return end === off ? '' : b.toString('utf8', off, end);
}

function entryType(flag: number): TarEntryType {
  switch (flag) {
    case 0:
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
      return 'file';
    case 0x35: // '5'
      return 'directory';
    case 0x32: // '2'
      return 'symlink';
    case 0x31: // '1'
      return 'link';
    default:
      return 'other';
  }
}
