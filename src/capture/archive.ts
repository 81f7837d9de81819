import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** One entry of a capture member. */
export interface ArchiveEntry {
  name: string;
  type: 'file' | 'directory';
  mtime: Date;
  data?: Buffer;
}

const gzipAsync = promisify(gzip);
const BLOCK = 512;

/**
 * One gzip member holding a complete tar of these entries. A capture is a sequence of such members
 * (see spec.ts), so each snapshot is written once, whole, and never rewritten.
 *
 * The tar is written here rather than with tar-stream's packer: a snapshot of a busy node is 5,000
 * small entries, which the stream packer takes 500–800 ms for and this loop 20 ms. Format: POSIX
 * ustar, with a pax `path` record for names that do not fit ustar's 100 + 155 bytes (systemd
 * cgroup paths often do not); GNU tar, busybox tar, bsdtar and tar-stream all read it.
 */
export async function gzipTarMember(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = e.type === 'directory' ? `${e.name}/` : e.name;
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const mode = e.type === 'directory' ? 0o755 : 0o644;
    const mtime = Math.floor(e.mtime.getTime() / 1000);
    const split = ustarName(name);
    if (!split) {
      const record = paxRecord('path', name);
      parts.push(
        header(
          `PaxHeader/${name.slice(-80).replace(/^\/+/, '')}`.slice(0, 100),
          '',
          record.length,
          0o644,
          mtime,
          'x',
        ),
      );
      parts.push(padded(record));
    }
    const [prefix, base] = split ?? ['', Buffer.from(name).subarray(0, 100).toString('latin1')];
    parts.push(header(base, prefix, data.length, mode, mtime, e.type === 'directory' ? '5' : '0'));
    if (data.length > 0) parts.push(padded(data));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipAsync(Buffer.concat(parts));
}

/** ustar's name split: [prefix ≤ 155 bytes, name ≤ 100 bytes] at a '/', or null when none fits. */
function ustarName(name: string): [string, string] | null {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) > 155) return null;
    if (rest && Buffer.byteLength(rest) <= 100) return [prefix, rest];
  }
  return null;
}

/** A pax extended-header record: "<length> <key>=<value>\n", the length counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len++;
  return Buffer.from(`${len}${body}`);
}

function padded(data: Buffer): Buffer {
  const rem = data.length % BLOCK;
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rem)]);
}

function header(
  name: string,
  prefix: string,
  size: number,
  mode: number,
  mtime: number,
  type: string,
): Buffer {
  const h = Buffer.alloc(BLOCK);
  const put = (text: string, at: number, width: number) => h.write(text, at, width, 'utf8');
  // Numeric fields: zero-padded octal, NUL-terminated.
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0');
  put(name, 0, 100);
  put(`${octal(mode, 8)}\0`, 100, 8);
  put(`${octal(0, 8)}\0`, 108, 8);
  put(`${octal(0, 8)}\0`, 116, 8);
  put(`${octal(size, 12)}\0`, 124, 12);
  put(`${octal(mtime, 12)}\0`, 136, 12);
  h.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  put(type, 156, 1);
  put('ustar\u000000', 257, 8);
  put('root', 265, 32);
  put('root', 297, 32);
  put(`${octal(0, 8)}\0`, 329, 8);
  put(`${octal(0, 8)}\0`, 337, 8);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}
