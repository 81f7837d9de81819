import { parentPort } from 'node:worker_threads';
import type { ChartJob, ChartReply } from './pool.js';
import { renderSvg, uniqueIds } from './render.js';
import { warmUp } from './warm-up.js';

// A chart thread: loads vega and draws a made-up chart before the first job arrives (the pool
// starts it while the passes run), then draws one chart per message. Jobs queue in the port
// meanwhile.
await Promise.all([import('vega'), import('vega-lite')]);
await warmUp().catch(() => undefined);

parentPort!.on('message', async (job: ChartJob) => {
  let reply: ChartReply;
  try {
    reply = { seq: job.seq, svg: uniqueIds(await renderSvg(job.spec), job.prefix) };
  } catch (e) {
    reply = { seq: job.seq, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
