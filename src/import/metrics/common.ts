import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { iso, parseSnapshotName } from '../../util/time.js';
import type { ImportContext, OpenedInput } from '../registry.js';
import { utf8Chunks } from '../text/decode.js';

/**
 * The decompressed, UTF-8 bytes of a plain-file input, stopped at the read limit
 * (`--max-input-bytes`) so a small gzip cannot unpack without end.
 */
export async function* textChunks(opened: OpenedInput, ctx: ImportContext): AsyncGenerator<Buffer> {
  if (!opened.open) throw new InputError(opened.probe.name, 'is not a file');
  const max = ctx.limits.maxTotalBytes;
  let n = 0;
  for await (const chunk of utf8Chunks(opened.open())) {
    n += chunk.length;
    if (n > max)
      throw new InputError(
        opened.probe.name,
        `decompresses to more than ${max} bytes; if it really is that large, raise --max-input-bytes`,
      );
    yield chunk;
  }
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
