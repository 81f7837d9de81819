import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Collector, partOf } from '../metrics/collector.js';
import type { LongLayout } from '../metrics/long-rows.js';
import { parseLongBody } from '../metrics/long-rows.js';

/** One byte range of a long CSV, parsed in a worker thread (see ranges.ts). */
export interface RangeJob {
  path: string;
  /** First byte (a line start) and one past the last byte (a line end) of the range. */
  start: number;
  end: number;
  layout: LongLayout;
}

async function run(job: RangeJob): Promise<void> {
  const out = new Collector();
  const stream = createReadStream(job.path, {
    start: job.start,
    end: job.end - 1,
    highWaterMark: 256 * 1024,
  });
  await parseLongBody(stream as AsyncIterable<Buffer>, job.layout, out, 1);
  const part = partOf(out);
  const transfer = part.rows.flatMap((r) => [r.t.buffer, r.v.buffer]) as ArrayBuffer[];
  parentPort!.postMessage({ ok: true, part }, transfer);
}

run(workerData as RangeJob).catch((e: unknown) => {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
});
