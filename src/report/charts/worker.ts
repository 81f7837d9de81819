import { parentPort } from 'node:worker_threads';
import type { ChartJob, ChartReply } from './pool.js';
import { renderSvg, uniqueIds } from './render.js';
import { warmUp } from './warm-up.js';

// A chart thread: loads vega and warms it on made-up charts until the first job arrives (the
// pool starts it while the passes run), then draws one chart per message, in order.
const queue: ChartJob[] = [];
let ready = false;
let draining = false;

parentPort!.on('message', (job: ChartJob) => {
  queue.push(job);
  void drain();
});

async function drain(): Promise<void> {
  if (!ready || draining) return;
  draining = true;
  while (queue.length > 0) {
    const job = queue.shift()!;
    let reply: ChartReply;
    try {
      reply = { seq: job.seq, svg: uniqueIds(await renderSvg(job.spec), job.prefix) };
    } catch (e) {
      reply = { seq: job.seq, error: e instanceof Error ? e.message : String(e) };
    }
    parentPort!.postMessage(reply);
  }
  draining = false;
}

await Promise.all([import('vega'), import('vega-lite')]);
await warmUp(() => queue.length > 0).catch(() => undefined);
ready = true;
await drain();
