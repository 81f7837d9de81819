import { formatBytes } from './bytes.js';

/** How far the import of one input has got. */
export interface ImportProgress {
  /** Bytes of the input read (compressed bytes for a compressed archive). */
  bytesRead: number;
  /** The input's size, when known before reading. */
  bytesTotal?: number;
  entries: number;
  snapshots: number;
}

/** Receives the progress of one input's import. */
export interface ProgressSink {
  update(p: ImportProgress): void;
  /** The import is over (or failed): clear the line. */
  done(): void;
}

/** Makes a sink for each input as its import starts. */
export type ProgressFactory = (input: string) => ProgressSink;

/** The part of a stream the reporter needs (process.stderr in the CLI). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface ProgressOptions {
  /** Nothing is shown for imports shorter than this: most inputs take less. Default 1000 ms. */
  delayMs?: number;
  /** At most one redraw per interval. Default 200 ms. */
  intervalMs?: number;
  /** Clock in ms (tests pin it). */
  now?: () => number;
}

/**
 * Progress on stderr for imports long enough to wonder about, redrawn in place: a terminal only
 * (a log file or a pipe gets nothing) and never with --quiet. Returns undefined when silent, so
 * the import does no progress work at all.
 */
export function createProgress(
  stream: ProgressStream,
  opts: ProgressOptions & { quiet?: boolean } = {},
): ProgressFactory | undefined {
  if (opts.quiet || !stream.isTTY) return undefined;
  const now = opts.now ?? (() => performance.now());
  const delay = opts.delayMs ?? 1000;
  const interval = opts.intervalMs ?? 200;
  return (input) => {
    const start = now();
    let last = Number.NEGATIVE_INFINITY;
    let shown = false;
    return {
      update(p) {
        const t = now();
        if (t - start < delay || t - last < interval) return;
        last = t;
        shown = true;
        // A pseudo-terminal without a size reports 0 columns.
        const width = Math.max(20, (stream.columns || 80) - 1);
        stream.write(`\r${progressLine(input, p).slice(0, width)}\x1b[K`);
      },
      done() {
        if (shown) stream.write('\r\x1b[K');
        shown = false;
      },
    };
  };
}

/**
 * "memlens: 38 MiB of 76 MiB (50 %), 820,000 entries, 170 snapshots · x.tar.gz" — the counts
 * first, so a narrow terminal cuts the name rather than them.
 */
export function progressLine(input: string, p: ImportProgress): string {
  const name = input.split(/[\\/]/).pop() || input;
  const read =
    p.bytesTotal && p.bytesTotal > 0
      ? `${formatBytes(p.bytesRead)} of ${formatBytes(p.bytesTotal)} (${Math.min(100, Math.floor((p.bytesRead / p.bytesTotal) * 100))} %)`
      : `${formatBytes(p.bytesRead)} read`;
  return `memlens: ${read}, ${p.entries.toLocaleString('en-US')} entries, ${p.snapshots.toLocaleString('en-US')} snapshots · ${name}`;
}
