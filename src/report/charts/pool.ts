import { availableParallelism } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { compiledWorker } from '../../util/worker-file.js';

/**
 * Chart threads for report.html. A composition chart takes 25–40 ms of vega work and a report
 * draws up to fifty, plus a fleet overview of every container: on one thread that was most of
 * `memlens analyze` on a big export. Charts are independent, so they are drawn on worker threads,
 * one chart per message, while the main thread goes on; the CLI starts the threads early
 * (`warmChartThreads`) so loading vega overlaps the passes, which run on the main thread only.
 */

export interface ChartJob {
  seq: number;
  spec: TopLevelSpec;
  /** Chart id, prefixed to the SVG's ids. */
  prefix: string;
}

export type ChartReply = { seq: number; svg: string } | { seq: number; error: string };

/** Below this many charts a thread's start-up (≈ 0.3 s to load vega) costs more than it saves. */
export const MIN_CHARTS_FOR_THREADS = 8;
/**
 * At most this many chart threads: each holds its own vega (~60 MiB); two already draw fifty
 * charts in well under a second, and the machine's other cores are better left to the import.
 */
export const MAX_CHART_THREADS = 2;

/** The compiled chart worker, or null (see compiledWorker). */
const workerFile = (): string | null => compiledWorker(new URL('./worker.js', import.meta.url));

/**
 * Threads to draw on, 0 when charts should be drawn in this thread: one core, no built worker,
 * or already inside a worker (memlens batch runs analyses in threads of its own; a pool per
 * analysis would only crowd the same cores). One core is left to the main thread: the threads
 * warm up while it runs the passes, and that warming is only free on a core that would wait.
 * (Measured on 2 cores, 51 charts: one thread warmed during the passes drew them in 1.1–1.3 s;
 * a second, warmed at the passes' expense, gained back what it cost them.) The load average is
 * not consulted: on shared VMs it counts other guests' work and read 1.3–1.7 on idle cores.
 */
export function chartThreads(): number {
  if (!isMainThread || workerFile() === null) return 0;
  const cores = availableParallelism();
  if (cores < 2) return 0;
  return Math.min(MAX_CHART_THREADS, cores - 1);
}

interface Slot {
  worker: Worker;
  job: ChartJob | null;
}

interface Pending {
  job: ChartJob;
  resolve: (r: ChartReply) => void;
  reject: (e: Error) => void;
}

/**
 * A fixed set of chart threads. `draw` resolves to the chart's SVG or its error; it rejects only
 * when the thread itself failed (then the caller draws the chart in this thread). Idle threads do
 * not keep the process alive.
 */
export class ChartPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending>();
  private seq = 0;
  private closed = false;
  /** Threads lost so far; past a few, the pool gives up and every chart is drawn in the caller's thread. */
  private lost = 0;

  constructor(
    private readonly size: number,
    private readonly file: string,
  ) {}

  /** Starts the threads now, so vega is loaded by the time the first chart comes. */
  start(): this {
    while (this.slots.length < this.size) this.spawn();
    return this;
  }

  draw(spec: TopLevelSpec, prefix: string): Promise<ChartReply> {
    if (this.closed) return Promise.reject(new Error('chart threads closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { seq: this.seq++, spec, prefix }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('chart threads closed'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      slot.job = p.job;
      this.inFlight.set(p.job.seq, p);
      slot.worker.ref();
      slot.worker.postMessage(p.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.file);
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (r: ChartReply) => {
      const p = this.inFlight.get(r.seq);
      this.inFlight.delete(r.seq);
      slot.job = null;
      worker.unref();
      p?.resolve(r);
      this.dispatch();
    });
    const fail = (e: Error) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      if (slot.job) {
        const p = this.inFlight.get(slot.job.seq);
        this.inFlight.delete(slot.job.seq);
        p?.reject(e);
      }
      // The queue goes on with the threads left, replaced on demand; a thread that cannot even
      // start (a broken install) would be replaced forever, so after a few the queue is handed back.
      if (++this.lost > this.size + 1) {
        this.closed = true;
        for (const q of this.queue.splice(0)) q.reject(e);
      }
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`chart thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

let warm: ChartPool | undefined;

/**
 * Starts the chart threads ahead of the report (the CLI calls it once the inputs are read and
 * the passes are about to run). Does nothing where charts are drawn in this thread.
 */
export function warmChartThreads(): void {
  const n = chartThreads();
  if (warm || n === 0) return;
  warm = new ChartPool(n, workerFile()!).start();
}

/**
 * Ends the warmed threads if no report took them: their message ports would keep the process
 * alive after an analysis that failed between warming and drawing.
 */
export async function closeWarmChartThreads(): Promise<void> {
  const p = warm;
  warm = undefined;
  await p?.close();
}

/**
 * A pool for `charts` charts: the warmed one if there is one (it is handed over once), else a new
 * one when that many charts are worth the start-up; undefined to draw in this thread.
 */
export function takeChartPool(charts: number): ChartPool | undefined {
  if (warm) {
    const p = warm;
    warm = undefined;
    return p;
  }
  const n = chartThreads();
  if (n === 0 || charts < MIN_CHARTS_FOR_THREADS) return undefined;
  return new ChartPool(Math.min(n, charts), workerFile()!);
}
