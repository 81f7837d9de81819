/**
 * Streams lines of UTF-8 bytes: calls `onLine(buf, start, end, line)` for each line without its
 * ending (LF or CRLF), the last line too when the file has no final newline. Lines longer than
 * `maxLine` bytes are reported through `onTooLong` and skipped.
 */
export async function forEachLine(
  chunks: AsyncIterable<Buffer>,
  onLine: (buf: Buffer, start: number, end: number, line: number) => void,
  onTooLong?: (line: number) => void,
  maxLine = 64 * 1024 * 1024,
): Promise<number> {
  let carry: Buffer | null = null;
  let line = 0;
  let skipping = false;
  // A long unfinished line collects chunks without a newline instead of being copied with each.
  let waiting: Buffer[] = [];
  let waitingBytes = 0;
  for await (const chunk of chunks) {
    if (
      carry &&
      carry.length >= 64 * 1024 &&
      chunk.indexOf(10) < 0 &&
      carry.length + waitingBytes + chunk.length <= maxLine
    ) {
      waiting.push(chunk);
      waitingBytes += chunk.length;
      continue;
    }
    const buf: Buffer = carry ? Buffer.concat([carry, ...waiting, chunk]) : chunk;
    waiting = [];
    waitingBytes = 0;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      line++;
      if (skipping) skipping = false;
      else onLine(buf, pos, nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl, line);
      pos = nl + 1;
    }
    carry = pos < buf.length ? buf.subarray(pos) : null;
    if (carry && carry.length > maxLine) {
      // Report once, then drop bytes until the next newline.
      if (!skipping) onTooLong?.(line + 1);
      skipping = true;
      carry = null;
    }
    if (carry && carry.length < 4096) carry = Buffer.from(carry);
  }
  if (waiting.length) carry = Buffer.concat([carry!, ...waiting]);
  if (carry?.length && !skipping) {
    line++;
    onLine(carry, 0, carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length, line);
  }
  return line;
}

/** Longer than any sample line of the line-ended formats (a few hundred bytes of labels). */
const LONGEST_CUT_LINE = 64 * 1024;

/**
 * The last bytes of a format whose writers end every line with a line end — Python's csv.writer
 * and pandas (query_csv.py), Go's encoding/csv (promql-cli), VictoriaMetrics, promtool, and the
 * exposition format, whose spec requires it — split into the lines that ended and the one that
 * did not. A last line without its end is what a copy cut short leaves, and its last number may be
 * cut too: a limit of 268435456 read as 2684 makes a container look 10⁵ times over its limit. So
 * it is not read. Trailing blanks are not a line, and are dropped too. A line that began in an
 * earlier chunk (`first` false and no newline here) or is longer than LONGEST_CUT_LINE is no
 * sample line: it is left to the parser, which has its start and its own limit for long lines.
 */
export function endedPart(last: Buffer, first: boolean): { whole: Buffer; cut: Buffer | null } {
  const nl = last.lastIndexOf(10);
  if ((nl < 0 && !first) || last.length - nl - 1 > LONGEST_CUT_LINE) return { whole: last, cut: null };
  let i = nl + 1;
  while (i < last.length && (last[i] === 32 || last[i] === 9 || last[i] === 13)) i++;
  return { whole: last.subarray(0, nl + 1), cut: i === last.length ? null : last.subarray(nl + 1) };
}
