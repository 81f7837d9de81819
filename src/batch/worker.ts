import { parentPort } from 'node:worker_threads';
import type { TaskSpec } from './task.js';
import { runTask } from './task.js';

// A worker runs one task at a time: the pool sends the next one when this one has answered.
parentPort!.on('message', async (task: TaskSpec) => {
  parentPort!.postMessage(await runTask(task));
});
