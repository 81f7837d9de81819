import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Collector, partOf, reportCutLine } from '../metrics/collector.js';
import type { LongLayout } from '../metrics/long-rows.js';
import { parseLongBody } from '../metrics/long-rows.js';
import { endedPart } from '../text/lines.js';

/** One byte range of a long CSV, parsed in a worker thread (see ranges.ts). */
export interface RangeJob {
  path: string;
  /** First byte (a line start) and one past the last byte (a line end) of the range. */
  start: number;
  end: number;
  layout: LongLayout;
  /** The file's last range, in a format that ends every line: a last line without one is cut (endedPart). */
  lineEnded: boolean;
}

async function run(job: RangeJob): Promise<void> {
  const out = new Collector();
  const last: { cut?: string } = {};
  await parseLongBody(readRange(job, last), job.layout, out, 1);
  reportCutLine(out, last.cut);
  const part = partOf(out);
  const transfer = part.rows.flatMap((r) => [r.t.buffer, r.v.buffer]) as ArrayBuffer[];
  parentPort!.postMessage({ ok: true, part }, transfer);
}

/** Chunk size: large enough that a read's cost is the copy, not the call. */
const CHUNK = 1024 * 1024;

/**
 * The range's bytes, read synchronously into one buffer refilled for each chunk (parseLongBody
 * keeps no chunk once it asks for the next): this thread has nothing else to do meanwhile, a
 * stream's round trips through the thread pool left it idle between chunks, and a fresh buffer
 * per chunk doubled the cost of reading (its pages are new to the process each time).
 */
async function* readRange(job: RangeJob, last: { cut?: string }): AsyncGenerator<Buffer> {
  const fd = openSync(job.path, 'r');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, job.end - job.start));
  try {
    for (let at = job.start; at < job.end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, job.end - at), at);
      if (n === 0) break;
      const first = at === job.start;
      at += n;
      if (job.lineEnded && at >= job.end) {
        const { whole, cut } = endedPart(buf.subarray(0, n), first);
        // a string now: the buffer is refilled by the next read
        if (cut) last.cut = cut.toString('utf8');
        yield whole;
      } else yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

run(workerData as RangeJob).catch((e: unknown) => {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
});
