/**
 * Mutations of seed inputs, driven by a seeded PRNG so that every case can be made again from
 * (seed, case number). Text seeds get byte and line mutations and tokens that break parsers
 * (NaN, ±Inf, negative and huge numbers, quotes, delimiters, line breaks, markup, `..` paths);
 * tar seeds are mutated as raw tar (header fields too, with the checksum repaired half the time
 * so the damage reaches past the checksum test), then packed as tar, gzip, or a cut gzip.
 */
import { gzipSync } from 'node:zlib';

/** mulberry32: small, fast, good enough to pick mutations. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const TOKENS = [
  'NaN',
  '+Inf',
  '-Inf',
  'Infinity',
  '-1',
  '-0',
  '1e308',
  '1e-320',
  '99999999999999999999999',
  '18446744073709551615',
  '9223372036854771712',
  '0x1f',
  '""',
  '"',
  '\\"',
  '\\',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ',,,,',
  ';',
  '\u0000',
  '..',
  '/',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\u001b[31m',
  'é',
  '\uFEFF',
  '\u202e',
  'null',
  'true',
  '{}',
  '[]',
  '{"a":',
  '=>',
  ' @[',
  '# EOF\n',
  '{__name__="x"}',
  'max',
  '1970-01-01T00:00:00Z',
  '2999-12-31T23:59:59Z',
  '0',
  '1700000000',
  '1700000000000000000',
  '9'.repeat(400),
];

const BYTES = [
  0, 0xff, 0x22, 0x2c, 0x3b, 0x0a, 0x0d, 0x09, 0x7b, 0x7d, 0x5b, 0x5d, 0x2d, 0x2e, 0x65, 0x5c, 0x20,
];

function insert(buf, at, piece) {
  return Buffer.concat([buf.subarray(0, at), piece, buf.subarray(at)]);
}

/** One random byte-level or line-level change. */
function mutateOnce(buf, r, others) {
  const n = buf.length;
  const at = n ? r.int(n) : 0;
  switch (r.int(11)) {
    case 0: {
      const out = Buffer.from(buf);
      for (let k = 1 + r.int(8); k > 0 && n; k--) out[r.int(n)] ^= 1 << r.int(8);
      return out;
    }
    case 1: {
      const out = Buffer.from(buf);
      if (n) out[at] = r.pick(BYTES);
      return out;
    }
    case 2:
      return insert(buf, at, Buffer.from(r.pick(TOKENS)));
    case 3: {
      const len = r.int(Math.min(n - at, 4096) + 1);
      return Buffer.concat([buf.subarray(0, at), buf.subarray(at + len)]);
    }
    case 4: {
      // Repeat a piece: sometimes many times, for long lines and large inputs.
      const len = 1 + r.int(Math.min(n - at, 2048) + 1);
      const times = r.chance(0.1) ? 100 + r.int(3000) : 1 + r.int(4);
      const piece = buf.subarray(at, at + len);
      return insert(buf, at, Buffer.concat(Array.from({ length: times }, () => piece)));
    }
    case 5:
      return buf.subarray(0, at);
    case 6: {
      const other = r.pick(others);
      return Buffer.concat([buf.subarray(0, at), other.subarray(r.int(other.length + 1))]);
    }
    case 7: {
      // Lines: duplicate, drop or swap a few.
      const lines = buf.toString('latin1').split('\n');
      for (let k = 1 + r.int(4); k > 0 && lines.length > 1; k--) {
        const i = r.int(lines.length);
        const j = r.int(lines.length);
        const op = r.int(3);
        if (op === 0) lines.splice(j, 0, lines[i]);
        else if (op === 1) lines.splice(i, 1);
        else [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 8: {
      // A number somewhere replaced by a hostile one.
      const text = buf.toString('latin1');
      const numbers = [...text.matchAll(/\d+(\.\d+)?/g)];
      if (!numbers.length) return buf;
      const m = r.pick(numbers);
      return Buffer.from(
        text.slice(0, m.index) + r.pick(TOKENS) + text.slice(m.index + m[0].length),
        'latin1',
      );
    }
    case 9: {
      // One very long line.
      const len = r.chance(0.2) ? 2 * 1024 * 1024 + r.int(1024 * 1024) : 70 * 1024;
      return insert(buf, at, Buffer.alloc(len, r.pick(['x', '"', ',', '9', '{'])));
    }
    default: {
      const text = buf.toString('utf8');
      return Buffer.from(text, r.chance(0.5) ? 'utf16le' : 'latin1');
    }
  }
}

/** A mutated text input. */
export function mutateText(seed, r, others) {
  let out = seed;
  for (let k = 1 + r.int(r.chance(0.2) ? 12 : 4); k > 0; k--) out = mutateOnce(out, r, others);
  return r.chance(0.2) ? pack(out, r) : out;
}

/** A mutated tar archive, packed as tar, gzip or a cut gzip. */
export function mutateTar(tar, r, others) {
  let out = Buffer.from(tar);
  for (let k = 1 + r.int(4); k > 0; k--) {
    if (r.chance(0.5)) out = mutateHeader(out, r);
    else out = mutateOnce(out, r, others);
  }
  if (r.chance(0.5)) fixChecksums(out);
  return pack(out, r);
}

function pack(buf, r) {
  const way = r.int(3);
  if (way === 0) return buf;
  const gz = gzipSync(buf);
  return way === 1 ? gz : gz.subarray(0, 10 + r.int(Math.max(1, gz.length - 10)));
}

/** Offsets of the ustar headers of an archive. */
function headers(tar) {
  const out = [];
  for (let at = 0; at + 512 <= tar.length; at += 512)
    if (tar.toString('latin1', at + 257, at + 262) === 'ustar') out.push(at);
  return out;
}

const FIELDS = [
  [0, 100, () => '../../etc/memory.stat'],
  [0, 100, () => '/abs/memory.stat'],
  [0, 100, () => ''],
  [124, 12, () => '77777777777'],
  [124, 12, () => '00000001000'],
  [124, 12, () => 'zzzzzzzzzzz'],
  [136, 12, () => '77777777777'],
  [156, 1, (r) => r.pick(['1', '2', '5', 'x', 'g', 'L', 'K', '7', '\u0000', '3'])],
  [157, 100, () => '/etc/passwd'],
  [345, 155, () => '../..'],
];

function mutateHeader(tar, r) {
  const hs = headers(tar);
  if (!hs.length) return tar;
  const out = Buffer.from(tar);
  const h = r.pick(hs);
  const [off, width, value] = r.pick(FIELDS);
  const v = Buffer.alloc(width);
  Buffer.from(value(r), 'latin1').copy(v);
  v.copy(out, h + off);
  return out;
}

/** Recomputes the checksum of every header, so a mutated header is read rather than refused. */
export function fixChecksums(tar) {
  for (const h of headers(tar)) {
    tar.fill(0x20, h + 148, h + 156);
    let sum = 0;
    for (let i = h; i < h + 512; i++) sum += tar[i];
    Buffer.from(`${sum.toString(8).padStart(6, '0')}\u0000 `, 'latin1').copy(tar, h + 148);
  }
}
