// A worker that misbehaves on request, to test how the pool survives its workers: it runs out of
// heap, throws, exits, or answers after a delay with its thread id and when it was busy.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', (task) => {
  const [what, ms] = task.paths[0].split(':');
  const start = Date.now();
  const answer = () =>
    parentPort.postMessage({
      id: task.id,
      ok: true,
      stats: null,
      facts: [{ start, end: Date.now() }],
      generatedAt: threadId,
    });
  if (what === 'oom') {
    const hog = [];
    for (;;) hog.push(new Array(1e5).fill(hog.length));
  }
  if (what === 'throw')
    setTimeout(() => {
      throw new Error('boom');
    });
  else if (what === 'exit') process.exit(1);
  else setTimeout(answer, Number(ms ?? 0));
});
