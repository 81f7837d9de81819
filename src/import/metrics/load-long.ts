import {
  canRunParallel,
  PARALLEL_MIN_BYTES,
  parseRanges,
  splitAtLines,
  threadCount,
} from '../parallel/ranges.js';
import type { ImportContext, OpenedInput } from '../registry.js';
import { sniffEncoding } from '../text/decode.js';
import type { Dataset } from '../types.js';
import { Collector, partOf, reportCutLine } from './collector.js';
import { textChunks, zoneWarning } from './common.js';
import type { LongLayout } from './long-rows.js';
import { parseLongBody } from './long-rows.js';
import type { CollectedPart } from './to-dataset.js';
import { toDataset } from './to-dataset.js';

export interface LongLoad {
  format: string;
  layout: LongLayout;
  /** Records before the first sample row (Excel `sep=` line, header). */
  skipRecords: number;
  warnings?: string[];
  details?: Record<string, unknown>;
  /** Its writers end every row with a line end, so a last row without one is cut (endedPart). */
  lineEnded: boolean;
}

/**
 * Loads a long CSV. A large plain file on disk is cut at line ends and parsed by worker threads;
 * anything else (gzip, stdin, UTF-16, small files) streams through one parser.
 */
export async function loadLongCsv(opened: OpenedInput, ctx: ImportContext, load: LongLoad): Promise<Dataset> {
  const path = opened.probe.name;
  let parts: CollectedPart[];
  let threads = 1;
  // Past --max-input-bytes the streaming reader stops at the limit and says so.
  const bodyStart =
    (opened.size ?? 0) > ctx.limits.maxTotalBytes ? -1 : parallelBodyStart(opened, load.skipRecords);
  if (bodyStart >= 0) {
    const file = opened.file!;
    const cuts = await splitAtLines(file, bodyStart, opened.size!, threadCount());
    threads = cuts.length - 1;
    const header: CollectedPart = {
      names: [],
      labels: [],
      rows: [],
      bad: [],
      empty: 0,
      lines: load.skipRecords,
      facts: {},
    };
    parts = [header, ...(await parseRanges(file, cuts, load.layout, load.lineEnded))];
  } else {
    const c = new Collector();
    await parseLongBody(
      textChunks(opened, ctx, { lineEnded: load.lineEnded }),
      load.layout,
      c,
      1,
      load.skipRecords,
    );
    reportCutLine(c, opened.cutLine);
    parts = [partOf(c)];
  }
  const wall = parts.reduce((n, p) => n + ((p.facts.wallTimes as number) ?? 0), 0);
  return toDataset(parts, {
    path,
    format: load.format,
    warnings: [...(load.warnings ?? []), ...zoneWarning(path, wall, ctx)],
    details: { ...load.details, threads, ...(ctx.tz && wall ? { timeZone: ctx.tz } : {}) },
  });
}

/**
 * Byte offset of the first sample row when the input can be split (a big uncompressed UTF-8
 * file whose header lines sit in the head), else -1.
 */
function parallelBodyStart(opened: OpenedInput, skipRecords: number): number {
  const { probe, size } = opened;
  if (probe.kind !== 'file' || probe.compression !== 'none' || !opened.file) return -1;
  if (!size || size < PARALLEL_MIN_BYTES || !canRunParallel()) return -1;
  const head = probe.head;
  if (sniffEncoding(head).encoding !== 'utf8') return -1;
  let at = 0;
  for (let k = 0; k < skipRecords; k++) {
    const nl = head.indexOf(10, at);
    if (nl < 0) return -1;
    at = nl + 1;
  }
  return at;
}
