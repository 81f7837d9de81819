import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { Probe } from '../registry.js';

/**
 * Text inputs arrive as UTF-8 (with or without a BOM) or, from Grafana 12.2's "Excel
 * compatibility mode", as UTF-16LE with a BOM (formats.md §1.A). Everything downstream reads
 * UTF-8 bytes without a BOM; this module sniffs the encoding and converts streams.
 */
export type Encoding = 'utf8' | 'utf16le' | 'utf16be';

export function sniffEncoding(head: Uint8Array): { encoding: Encoding; bom: number; guessed?: boolean } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  const guess = utf16WithoutBom(head);
  return guess ? { encoding: guess, bom: 0, guessed: true } : { encoding: 'utf8', bom: 0 };
}

/**
 * UTF-16 written without a byte-order mark (PowerShell's `Out-File -Encoding Unicode` piped
 * through tools that drop it, some Windows exports): the text of an export is ASCII, so every
 * other byte is NUL. UTF-8 text never holds NUL, so the pattern cannot be mistaken.
 */
function utf16WithoutBom(head: Uint8Array): Encoding | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd >= pairs * 0.4 && even <= pairs * 0.05) return 'utf16le';
  if (even >= pairs * 0.4 && odd <= pairs * 0.05) return 'utf16be';
  return null;
}

const headCache = new WeakMap<Probe, { text: string; encoding: Encoding; bom: boolean }>();

/** The probe's head as text (BOM removed), decoded once per probe. */
export function headText(probe: Probe): { text: string; encoding: Encoding; bom: boolean } {
  let h = headCache.get(probe);
  if (!h) {
    // A tar's head is not text; sniffing would only mistake its NUL padding for UTF-16.
    const { encoding, bom } =
      probe.kind === 'file' ? sniffEncoding(probe.head) : { encoding: 'utf8' as const, bom: 0 };
    const body = probe.head.subarray(bom);
    const text =
      encoding === 'utf8'
        ? new TextDecoder('utf-8').decode(body)
        : new TextDecoder(label(encoding)).decode(body);
    h = { text, encoding, bom: bom > 0 };
    headCache.set(probe, h);
  }
  return h;
}

/** The first `n` non-empty lines of the head (without line endings). */
export function headLines(probe: Probe, n = 20): string[] {
  const out: string[] = [];
  const { text } = headText(probe);
  let at = 0;
  while (out.length < n && at < text.length) {
    let nl = text.indexOf('\n', at);
    // The head may end mid-line: a line cut by the 64 KiB window is still a prefix worth reading.
    if (nl < 0) nl = text.length;
    const line = text.slice(at, nl).replace(/\r$/, '');
    if (line.trim() !== '') out.push(line);
    at = nl + 1;
  }
  return out;
}

function label(e: Encoding): string {
  return e === 'utf16le' ? 'utf-16le' : e === 'utf16be' ? 'utf-16be' : 'utf-8';
}

/**
 * UTF-8 bytes of a text stream, BOM removed, UTF-16 converted. The chunks of a UTF-8 stream are
 * passed through untouched (no copy). `onGuess` hears of UTF-16 recognised without a BOM.
 */
export async function* utf8Chunks(
  stream: Readable,
  onGuess?: (encoding: Encoding) => void,
): AsyncGenerator<Buffer> {
  let first = true;
  let decoder: TextDecoder | undefined;
  for await (const raw of stream) {
    let chunk = raw as Buffer;
    if (first) {
      first = false;
      const { encoding, bom, guessed } = sniffEncoding(chunk);
      chunk = chunk.subarray(bom);
      if (encoding !== 'utf8') decoder = new TextDecoder(label(encoding));
      if (guessed) onGuess?.(encoding);
    }
    if (decoder) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield Buffer.from(text, 'utf8');
    } else if (chunk.length) yield chunk;
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, 'utf8');
  }
}
