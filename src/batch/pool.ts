import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { TaskOutcome, TaskSpec } from './task.js';
import { failure } from './task.js';

/**
 * The worker script. Built code sits next to this file; under vitest this file is the .ts source
 * and the worker runs from the build (npm test builds first), because Node cannot start a
 * TypeScript worker by itself.
 */
export function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  return new URL(here.href.replace(/\/src\/batch\/worker\.js$/, '/dist/batch/worker.js'));
}

interface Slot {
  worker: Worker;
  task: TaskSpec | null;
  resolve: ((o: TaskOutcome) => void) | null;
}

/**
 * A fixed number of worker threads, each holding at most one input at a time, so memory stays
 * at (jobs × the largest input in flight) however many inputs the batch has. A worker that
 * crashes or runs out of heap fails only its current task and is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { task: TaskSpec; resolve: (o: TaskOutcome) => void; onStart?: () => void }[] = [];
  private closed = false;
  private readonly url: URL;
  private readonly heapMb: number;

  /**
   * `heapMb` defaults to the main thread's heap limit: one input's worst case, and no more. With a
   * limit set, a worker that runs out of heap ends alone instead of taking the process down.
   */
  constructor(
    private readonly size: number,
    opts: { url?: URL; heapMb?: number } = {},
  ) {
    this.url = opts.url ?? workerUrl();
    this.heapMb = opts.heapMb ?? Math.floor(getHeapStatistics().heap_size_limit / 1024 / 1024);
  }

  /** Runs a task on the next free worker (`onStart` when it gets one); after close(), as interrupted. */
  run(task: TaskSpec, onStart?: () => void): Promise<TaskOutcome> {
    if (this.closed) return Promise.resolve(aborted(task));
    return new Promise((resolve) => {
      this.queue.push({ task, resolve, onStart });
      this.dispatch();
    });
  }

  /** Stops every worker now; running and queued tasks resolve as aborted. */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.resolve(aborted(q.task));
    const slots = this.slots.splice(0);
    for (const s of slots) if (s.task && s.resolve) s.resolve(aborted(s.task));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const { task, resolve, onStart } = this.queue.shift()!;
      slot.task = task;
      slot.resolve = resolve;
      slot.worker.postMessage(task);
      onStart?.();
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    const slot: Slot = { worker, task: null, resolve: null };
    worker.on('message', (o: TaskOutcome) => this.settle(slot, o));
    worker.on('error', (e: Error & { code?: string }) => {
      // The worker is gone (uncaught error or heap limit): fail its task, replace it on demand.
      this.drop(slot);
      if (!slot.task) return;
      this.settle(
        slot,
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              id: slot.task.id,
              ok: false,
              reason: `ran out of memory (worker heap limit ${this.heapMb} MiB); analyse it alone with "memlens analyze", or raise the limit with NODE_OPTIONS=--max-old-space-size=<MiB>`,
              internal: false,
            }
          : failure(slot.task, e),
      );
    });
    worker.on('exit', () => {
      if (!this.drop(slot)) return;
      if (slot.task)
        this.settle(slot, failure(slot.task, new Error('the worker thread stopped unexpectedly')));
      else this.dispatch();
    });
    this.slots.push(slot);
    return slot;
  }

  /** Removes a dead worker's slot; false when it was already removed. */
  private drop(slot: Slot): boolean {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    return i >= 0;
  }

  private settle(slot: Slot, o: TaskOutcome): void {
    const resolve = slot.resolve;
    slot.task = null;
    slot.resolve = null;
    resolve?.(o);
    this.dispatch();
  }
}

function aborted(task: TaskSpec): TaskOutcome {
  return {
    id: task.id,
    ok: false,
    reason: 'interrupted before it finished',
    internal: false,
    interrupted: true,
  };
}
