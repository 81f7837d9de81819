/**
 * Words for an input no importer took: what it looks like, so the user knows what they have in
 * hand (a zip, an HTML login page saved instead of the export, a binary) and what to do with it.
 * Decided from the first bytes only.
 */
const MAGIC: [bytes: number[], what: string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive; unzip it and give memlens the folder or the files inside'],
  [
    [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
    'xz-compressed, which memlens does not read; decompress it with "xz -d" (or recompress it with gzip or zstd)',
  ],
  [
    [0x42, 0x5a, 0x68],
    'bzip2-compressed, which memlens does not read; decompress it with "bunzip2" (or recompress it with gzip or zstd)',
  ],
  [
    [0x04, 0x22, 0x4d, 0x18],
    'lz4-compressed, which memlens does not read; decompress it with "lz4 -d" (or recompress it with gzip or zstd)',
  ],
  [
    [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
    'a 7-Zip archive; unpack it and give memlens the folder or the files inside',
  ],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program (ELF executable), not data'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document, not data'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image, not data'],
];

/**
 * The reason an input is in no known format, as the tail of "<input>: is in no format memlens knows: …".
 * `tried` are the ids of the formats it was checked against (findings.json's `inputs[].format`), so
 * the user can tell at a glance whether the format they meant is one memlens reads.
 */
export function unknownFormat(
  head: Buffer,
  compression: 'none' | 'gzip' | 'zstd',
  tried: readonly string[],
): string {
  const FORMATS = `Tried ${tried.join(', ')}; docs/exports.md says how to export each`;
  const packed = compression === 'none' ? '' : `${compression}-compressed `;
  if (head.length === 0)
    return `it is ${packed ? `${packed}and ` : ''}empty (0 bytes). Check that the file was written completely`;
  for (const [magic, what] of MAGIC)
    if (magic.every((b, i) => head[i] === b)) return `it is ${packed}${what}`;
  let zeros = 0;
  let control = 0;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) zeros++;
    else if (c < 9 || (c > 13 && c < 32 && c !== 27)) control++;
  }
  if (zeros === n)
    return `its first ${n} bytes are all zero (a file that was never written, or a disk image?). ${FORMATS}`;
  if (zeros + control > n / 10)
    return `it is ${packed}binary data (${zeros + control} of its first ${n} bytes are not text). ${FORMATS}`;
  const text = head.toString('utf8', 0, n).replace(/^\uFEFF/, '');
  if (/^\s*<(!doctype html|html|head|body)\b/i.test(text))
    return `it is ${packed}an HTML page (a login or error page saved in place of the export?). Export again and check that the file holds the data`;
  const first = text.trimStart().split(/\r?\n/)[0] ?? '';
  return `it is ${packed}text, but not in a layout memlens reads (first line: ${JSON.stringify(first.length > 80 ? `${first.slice(0, 80)}…` : first)}). ${FORMATS}`;
}
