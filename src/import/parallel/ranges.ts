import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../../util/worker-file.js';
import type { CollectedPart } from '../metrics/to-dataset.js';
import type { RangeJob } from './worker.js';

/**
 * Parses a line-oriented file in parallel: the body is cut into byte ranges at line ends, each
 * range is parsed by a worker thread into its own collector, and the parts come back (typed
 * arrays transferred, not copied) in file order. Worth it above a few tens of MiB; below, the
 * thread start-up costs more than it saves.
 */
export const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;

/** Threads to use: the cores Node may use, at most 4 (memory grows with each). */
export function threadCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The compiled parse worker, or null (see compiledWorker). */
const workerFile = (): string | null => compiledWorker(new URL('./worker.js', import.meta.url));

export function canRunParallel(): boolean {
  return workerFile() !== null && threadCount() > 1;
}

/** Cuts [bodyStart, size) into `n` ranges that start at line starts. */
export async function splitAtLines(
  path: string,
  bodyStart: number,
  size: number,
  n: number,
): Promise<number[]> {
  const cuts = [bodyStart];
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let k = 1; k < n; k++) {
      let at = bodyStart + Math.floor(((size - bodyStart) * k) / n);
      if (at <= cuts.at(-1)!) continue;
      let found = -1;
      while (found < 0 && at < size) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, at);
        if (bytesRead === 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) found = at + nl + 1;
        else at += bytesRead;
      }
      if (found > cuts.at(-1)! && found < size) cuts.push(found);
    }
  } finally {
    await fh.close();
  }
  cuts.push(size);
  return cuts;
}

/** Runs one worker per range; resolves to their parts in file order. */
export async function parseRanges(
  path: string,
  cuts: number[],
  layout: RangeJob['layout'],
  /** The format ends every line: the last range leaves out a last line without one. */
  lineEnded = false,
): Promise<CollectedPart[]> {
  const file = workerFile();
  if (!file) throw new Error('worker script not found');
  const jobs: Promise<CollectedPart>[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const job: RangeJob = {
      path,
      start: cuts[k],
      end: cuts[k + 1],
      layout,
      lineEnded: lineEnded && k + 2 === cuts.length,
    };
    jobs.push(
      new Promise((resolve, reject) => {
        const w = new Worker(file, { workerData: job });
        w.once('message', (m: { ok: boolean; part?: CollectedPart; error?: string }) => {
          if (m.ok) resolve(m.part!);
          else reject(new Error(m.error));
          void w.terminate();
        });
        w.once('error', reject);
        w.once('exit', (code) => {
          if (code !== 0) reject(new Error(`worker stopped with exit code ${code}`));
        });
      }),
    );
  }
  return Promise.all(jobs);
}
