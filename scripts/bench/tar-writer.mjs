/**
 * A minimal tar writer for the benchmark generator: ustar headers, a pax extended header for
 * every name longer than 100 bytes (as tar-stream and `tar --format=posix` do), 512-byte blocks.
 * Entries are appended to a large reusable buffer that is flushed to a stream when full.
 */
const BLOCK = 512;

function octal(buf, off, width, value) {
  const s = value.toString(8).padStart(width - 1, '0');
  buf.write(s, off, width - 1, 'latin1');
  buf[off + width - 1] = 0;
}

export class TarWriter {
  /** @param {(chunk: Buffer) => Promise<void>} sink */
  constructor(sink, bufferBytes = 4 * 1024 * 1024) {
    this.sink = sink;
    this.buf = Buffer.alloc(bufferBytes);
    this.at = 0;
    this.bytes = 0;
    this.entries = 0;
  }

  async reserve(n) {
    if (this.at + n <= this.buf.length) return;
    await this.flush();
    if (n > this.buf.length) this.buf = Buffer.alloc(n);
  }

  async flush() {
    if (this.at === 0) return;
    const out = Buffer.from(this.buf.subarray(0, this.at));
    this.at = 0;
    await this.sink(out);
  }

  header(name, type, size, mtimeSec, linkname = '') {
    const b = this.buf;
    const h = this.at;
    b.fill(0, h, h + BLOCK);
    b.write(name, h, 100, 'utf8');
    octal(b, h + 100, 8, type === '5' ? 0o755 : 0o644);
    octal(b, h + 108, 8, 0);
    octal(b, h + 116, 8, 0);
    octal(b, h + 124, 12, size);
    octal(b, h + 136, 12, mtimeSec);
    b.fill(0x20, h + 148, h + 156);
    b.write(type, h + 156, 1, 'latin1');
    if (linkname) b.write(linkname, h + 157, 100, 'utf8');
    b.write('ustar\u000000', h + 257, 8, 'latin1');
    b.write('root', h + 265, 32, 'latin1');
    b.write('root', h + 297, 32, 'latin1');
    let sum = 0;
    for (let i = h; i < h + BLOCK; i++) sum += b[i];
    b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, h + 148, 8, 'latin1');
    this.at += BLOCK;
  }

  body(data) {
    const n = typeof data === 'string' ? this.buf.write(data, this.at, 'utf8') : data.copy(this.buf, this.at);
    const padded = Math.ceil(n / BLOCK) * BLOCK;
    this.buf.fill(0, this.at + n, this.at + padded);
    this.at += padded;
  }

  /** Appends one entry; `data` is a string or Buffer for files, undefined for directories. */
  async add(name, data, mtimeSec) {
    const isDir = data === undefined;
    const size = isDir ? 0 : typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const nameBytes = Buffer.byteLength(name);
    let pax = '';
    if (nameBytes > 100) {
      const rec = (k, v) => {
        // A record is "<len> <key>=<value>\n" where <len> counts its own digits too.
        const base = Buffer.byteLength(` ${k}=${v}\n`);
        let len = base + String(base).length;
        if (String(len).length !== String(base).length) len = base + String(len).length;
        return `${len} ${k}=${v}\n`;
      };
      pax = rec('path', name);
    }
    const paxBytes = pax ? Buffer.byteLength(pax) : 0;
    await this.reserve(
      (pax ? BLOCK + Math.ceil(paxBytes / BLOCK) * BLOCK : 0) + BLOCK + Math.ceil(size / BLOCK) * BLOCK,
    );
    const start = this.at;
    if (pax) {
      this.header(`PaxHeader/${name.slice(-80)}`, 'x', paxBytes, mtimeSec);
      this.body(pax);
    }
    this.header(name, isDir ? '5' : '0', size, mtimeSec);
    if (!isDir) this.body(data);
    this.bytes += this.at - start;
    this.entries++;
  }

  /** Two zero blocks end the archive; GNU tar pads to a 10240-byte record. */
  async end() {
    const tail = 2 * BLOCK + ((10240 - ((this.bytes + 2 * BLOCK) % 10240)) % 10240);
    await this.reserve(tail);
    this.buf.fill(0, this.at, this.at + tail);
    this.at += tail;
    this.bytes += tail;
    await this.flush();
  }
}
