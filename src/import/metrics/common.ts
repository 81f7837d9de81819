import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { DecoderUnavailable } from '../../source/decompress.js';
import { describeStreamError } from '../../source/stream-error.js';
import { iso, parseSnapshotName } from '../../util/time.js';
import type { ImportContext, OpenedInput } from '../registry.js';
import { utf8Chunks } from '../text/decode.js';
import { endedPart } from '../text/lines.js';

/**
 * The decompressed, UTF-8 bytes of a plain-file input. Reading stops, and what was read is kept,
 * when the data is damaged (a gzip cut short or corrupt) or passes the read limit
 * (`--max-input-bytes`, so a small gzip cannot unpack without end): the input's `stopped` and
 * `warnings` say so, with the line where reading stopped, and the last line, cut in two, is
 * dropped rather than read as a shorter number. One chunk is held back to make that possible.
 */
export async function* textChunks(
  opened: OpenedInput,
  ctx: ImportContext,
  {
    cutLines = true,
    lineEnded = false,
  }: {
    /** false for JSON: its splitter knows a cut entry by itself, and a whole answer may be one line. */
    cutLines?: boolean;
    /**
     * true for formats whose writers end every line (see endedPart): a last line without a line
     * end is not read, and `opened.cutLine` holds it for the importer to report with its line.
     */
    lineEnded?: boolean;
  } = {},
): AsyncGenerator<Buffer> {
  if (!opened.open) throw new InputError(opened.probe.name, 'is not a file');
  const wholeLines = cutLines ? lastLineEnd : (b: Buffer) => b;
  const name = opened.probe.name;
  const max = ctx.limits.maxTotalBytes;
  // Lines are counted only where data can end early: compressed data (the decoder costs more).
  const count = opened.probe.compression !== 'none';
  let bytes = 0;
  let lines = 0;
  let held: Buffer | null = null;
  const note = (w: string) => {
    opened.warnings ??= [];
    opened.warnings.push(w);
  };
  const pass = (b: Buffer): Buffer => {
    bytes += b.length;
    if (count) for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    return b;
  };
  const where = () => (count ? `at line ${lines + 1}` : `after byte ${bytes}`);
  const chunks = utf8Chunks(opened.open(), (enc) =>
    note(
      `${name}: the text is ${enc === 'utf16le' ? 'UTF-16LE' : 'UTF-16BE'} without a byte-order mark; it was read as such`,
    ),
  );
  try {
    for await (const chunk of chunks) {
      if (bytes + (held?.length ?? 0) + chunk.length > max) {
        const part = wholeLines(chunk.subarray(0, Math.max(0, max - bytes - (held?.length ?? 0))));
        // Without a line end in what may still be read, the line the held chunk ends in is cut.
        if (held) yield pass(part.length ? held : wholeLines(held));
        held = null;
        if (part.length) yield pass(part);
        opened.stopped = 'limit';
        note(
          `${name}: reading stopped ${where()}, after ${bytes} decompressed bytes: the read limit (--max-input-bytes ${max}). ` +
            'The rest was not read; if the input really is that large, raise --max-input-bytes',
        );
        return;
      }
      if (held) yield pass(held);
      held = chunk;
    }
  } catch (e) {
    if (e instanceof DecoderUnavailable) throw new InputError(name, e.message, { cause: e });
    if (held) {
      const part = wholeLines(held);
      held = null;
      if (part.length) yield pass(part);
    }
    opened.stopped = 'damaged';
    note(
      `${name}: ${describeStreamError(e, `the ${opened.probe.compression} data`)} ${where()}; kept ${cutLines ? (count ? `the ${lines} complete lines` : `the ${bytes} bytes`) : 'what was read'} before it. ` +
        'Copy the file again completely to read the rest',
    );
    return;
  }
  if (!held) return;
  if (lineEnded) {
    const { whole, cut } = endedPart(held, bytes === 0);
    if (cut) opened.cutLine = cut.toString('utf8');
    held = whole;
  }
  yield pass(held);
}

/** The bytes up to and including the last newline (a cut line is not read as a shorter one). */
function lastLineEnd(b: Buffer): Buffer {
  return b.subarray(0, b.lastIndexOf(10) + 1);
}

/** The warning when wall-clock times were read in an assumed zone. */
export function zoneWarning(path: string, wallTimes: unknown, ctx: ImportContext): string[] {
  if (!wallTimes || ctx.tz) return [];
  return [
    `${path}: timestamps carry no time zone (Grafana "Formatted data" or similar); they were read as UTC. ` +
      'Pass --tz with the zone of the dashboard or tool that wrote them, e.g. --tz Europe/Berlin.',
  ];
}

/**
 * When a snapshot was taken, for samples without their own timestamp: a time in the file name
 * (`scrape-1700000000.prom`, `…-2023-11-14T22:13:20Z.prom`), else the file's modification time,
 * else the analysis time. Says which, so `inspect` can show it and a warning can flag the guess.
 */
export async function snapshotTime(
  opened: OpenedInput,
  ctx: ImportContext,
): Promise<{ t: number; source: string; warning?: string }> {
  const name = basename(opened.probe.name);
  for (const token of name.split(/[_\s]|\.(?=[a-z])|-(?=\d{10})/i)) {
    const t = parseSnapshotName(token.replace(/\.(prom|txt|gz|metrics|om)$/gi, ''));
    if (!Number.isNaN(t)) return { t, source: 'file name' };
  }
  const m = /(\d{10})(?:\.\d+)?(?!\d)/.exec(name);
  if (m) return { t: Number(m[1]) * 1000, source: 'file name' };
  if (opened.probe.name !== '-') {
    try {
      const st = await stat(opened.probe.name);
      return {
        t: Math.round(st.mtimeMs),
        source: 'file modification time',
        warning: `${opened.probe.name}: samples without timestamps were placed at the file's modification time ${iso(st.mtimeMs)}; name snapshots scrape-<unixseconds>.prom to record when they were taken`,
      };
    } catch {
      // fall through
    }
  }
  const t = ctx.now ?? Date.now();
  return {
    t,
    source: 'analysis time',
    warning: `${opened.probe.name}: nothing says when this snapshot was taken; samples without timestamps were placed at ${iso(t)}`,
  };
}
