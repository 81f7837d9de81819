import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tarStream from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TarHeader } from '../../src/source/tar-parser.js';
import { headerName, TarFormatError, TarParser } from '../../src/source/tar-parser.js';
import { scratch } from '../helpers/fixtures.js';

interface Seen {
  name: string;
  type: string;
  size: number;
  mtime: number;
  linkname: string;
  data: string | null;
}

/** Every entry as the parser sees it, feeding the archive in chunks of `chunk` bytes. */
function parse(archive: Buffer, chunk = 64 * 1024, maxEntryBytes = 1024 * 1024): Seen[] {
  const out: Seen[] = [];
  const p = new TarParser(
    (h: TarHeader, data) =>
      out.push({
        name: headerName(h),
        type: h.type,
        size: h.size,
        mtime: Math.floor(h.mtimeMs / 1000),
        linkname: h.linkname,
        data: data ? data.toString('base64') : null,
      }),
    { maxEntryBytes },
  );
  for (let i = 0; i < archive.length; i += chunk) p.push(archive.subarray(i, i + chunk));
  p.end();
  return out;
}

/** The same through tar-stream, the independent reference. */
async function reference(archive: Buffer): Promise<Seen[]> {
  const out: Seen[] = [];
  const x = tarStream.extract();
  x.end(archive);
  for await (const e of x) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    const h = e.header;
    const type = h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type;
    out.push({
      name: h.name,
      type: type === 'directory' || type === 'symlink' || type === 'link' || type === 'file' ? type : 'other',
      size: h.size ?? 0,
      mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000),
      linkname: h.linkname ?? '',
      data: type === 'file' ? Buffer.concat(chunks).toString('base64') : null,
    });
  }
  return out;
}

const s = scratch();
const root = join(s.dir, 'tree');
// A systemd-driver container path: longer than ustar's 100-byte name and 155-byte prefix together.
const LONG = [
  '2026-11-27T10:00:00Z',
  'kubepods.slice',
  'kubepods-burstable.slice',
  'kubepods-burstable-pod0b3a1f9e_5c2d_4e8f_9a7b_6c5d4e3f2a10.slice',
  `cri-containerd-${'c'.repeat(64)}.scope`,
  `deeper-${'d'.repeat(60)}`,
].join('/');

beforeAll(() => {
  mkdirSync(join(root, LONG), { recursive: true });
  writeFileSync(join(root, LONG, 'memory.stat'), 'anon 1\nfile 2\n');
  writeFileSync(join(root, 'memory.current'), '4096\n');
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'block'), 'x'.repeat(512));
  writeFileSync(join(root, 'big'), Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 31) % 251)));
  writeFileSync(join(root, 'naïve-ünïcode'), 'é\n');
  symlinkSync('/etc/passwd', join(root, 'link-out'));
  linkSync(join(root, 'memory.current'), join(root, 'hard'));
});
afterAll(() => s.done());

function tarOf(format: string): Buffer {
  return execFileSync('tar', [`--format=${format}`, '--sort=name', '-cf', '-', '-C', root, '.'], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('TarParser reads what GNU tar writes', () => {
  for (const format of ['gnu', 'posix', 'oldgnu']) {
    it(`--format=${format}: the same entries as tar-stream, long names and links included`, async () => {
      const archive = tarOf(format);
      const mine = parse(archive);
      expect(mine).toEqual(await reference(archive));
      const names = mine.map((e) => e.name);
      expect(names).toContain(`./${LONG}/memory.stat`);
      expect(names).toContain('./naïve-ünïcode');
      expect(mine.find((e) => e.name === './link-out')).toMatchObject({
        type: 'symlink',
        linkname: '/etc/passwd',
      });
      expect(mine.find((e) => e.name === './memory.current' || e.name === './hard')!.type).toBe('file');
      expect(mine.some((e) => e.type === 'link')).toBe(true);
    });
  }

  it('--format=ustar: names split into prefix and name are joined again', async () => {
    // ustar cannot store the longest path; a tree of 200-byte paths fits its prefix + name.
    const t = join(s.dir, 'ustar');
    const dir = join(t, LONG.split('/').slice(0, 5).join('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.current'), '1\n');
    const archive = execFileSync('tar', ['--format=ustar', '-cf', '-', '-C', t, '.']);
    const mine = parse(archive);
    expect(mine).toEqual(await reference(archive));
    expect(mine.map((e) => e.name)).toContain(`./${LONG.split('/').slice(0, 5).join('/')}/memory.current`);
  });

  it('gives the same entries whatever the chunk sizes the stream arrives in', () => {
    const archive = tarOf('posix');
    const whole = parse(archive, archive.length);
    for (const chunk of [1, 7, 511, 512, 513, 1500, 65_537]) expect(parse(archive, chunk)).toEqual(whole);
  });

  it('skips entries over the size limit without losing its place', () => {
    const archive = tarOf('gnu');
    const mine = parse(archive, 4096, 100_000);
    expect(mine.find((e) => e.name === './big')).toMatchObject({ size: 150_000, data: null });
    // …and the entries after it are read whole.
    expect(mine.find((e) => e.name === './naïve-ünïcode')!.data).toBe(Buffer.from('é\n').toString('base64'));
  });
});

/** One ustar header block for a small file, with fields a test may override. */
function header(name: string, size: number, opts: { sizeField?: Buffer; type?: string } = {}): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  if (opts.sizeField) opts.sizeField.copy(h, 124);
  else h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write(`${(1764270000).toString(8)}\0`, 136, 'latin1');
  h.write(opts.type ?? '0', 156, 'latin1');
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

const body = (text: string) => {
  const b = Buffer.alloc(Math.ceil(text.length / 512) * 512);
  b.write(text);
  return b;
};
const END = Buffer.alloc(1024);

describe('TarParser on damaged or unusual archives', () => {
  it('reads GNU base-256 sizes', () => {
    const size = Buffer.alloc(12);
    size[0] = 0x80;
    size[11] = 5;
    const archive = Buffer.concat([header('a', 5, { sizeField: size }), body('hello'), END]);
    expect(parse(archive)).toMatchObject([
      { name: 'a', size: 5, data: Buffer.from('hello').toString('base64') },
    ]);
  });

  it('applies pax size, mtime and path to the next entry only, and ignores global headers', () => {
    const rec = (k: string, v: string) => {
      const base = ` ${k}=${v}\n`;
      let len = base.length + String(base.length).length;
      if (String(len).length !== String(base.length).length) len = base.length + String(len).length;
      return `${len}${base}`;
    };
    const pax = rec('path', 'x'.repeat(150)) + rec('mtime', '1764237600.5') + rec('size', '3');
    const global = rec('path', 'ignored');
    const archive = Buffer.concat([
      header('g', global.length, { type: 'g' }),
      body(global),
      header('p', pax.length, { type: 'x' }),
      body(pax),
      header('short', 999),
      body('abc'),
      header('next', 2),
      body('ok'),
      END,
    ]);
    expect(parse(archive)).toEqual([
      { name: 'x'.repeat(150), type: 'file', size: 3, mtime: 1764237600, linkname: '', data: 'YWJj' },
      { name: 'next', type: 'file', size: 2, mtime: 1764270000, linkname: '', data: 'b2s=' },
    ]);
  });

  it('names a header whose checksum is wrong, with its byte offset', () => {
    const bad = header('b', 2);
    bad[0] = 0x63; // 'c': the name changed, the checksum did not
    const archive = Buffer.concat([header('a', 2), body('ok'), bad, body('no'), END]);
    expect(() => parse(archive)).toThrow(TarFormatError);
    expect(() => parse(archive)).toThrow('a tar header is corrupt (checksum mismatch at byte 1024)');
  });

  it('says an archive cut inside an entry, or without its end marker, is truncated', () => {
    const archive = Buffer.concat([header('a', 600), body('y'.repeat(600)), header('b', 2), body('ok'), END]);
    expect(() => parse(archive.subarray(0, 700))).toThrow('the archive ends early (truncated)');
    expect(() => parse(archive.subarray(0, 2048))).toThrow('the archive ends early (truncated)');
    expect(() => parse(archive.subarray(0, 2560))).toThrow(
      'the archive ends without its end marker (truncated)',
    );
    // One zero block is enough for GNU tar, and so for memlens; what follows the marker is ignored.
    expect(parse(Buffer.concat([archive.subarray(0, 2560), Buffer.alloc(512)]))).toHaveLength(2);
    expect(parse(Buffer.concat([archive, Buffer.from('trailing garbage')]))).toHaveLength(2);
  });
});

describe('concatenated archives (a capture is one gzip member, so one tar, per snapshot)', () => {
  it('reads on after an end marker when another archive follows, as tar -i does', () => {
    const one = Buffer.concat([header('2026-01-01T00:00:00Z/kubepods/memory.stat', 2), body('ok'), END]);
    const two = Buffer.concat([header('2026-01-01T00:00:10Z/kubepods/memory.stat', 2), body('ok'), END]);
    expect(parse(Buffer.concat([one, two]))).toHaveLength(2);
  });
});
