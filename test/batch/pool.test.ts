import { describe, expect, it } from 'vitest';
import { WorkerPool, workerUrl } from '../../src/batch/pool.js';
import type { TaskOutcome, TaskSpec } from '../../src/batch/task.js';

const FAKE = new URL('./fake-worker.mjs', import.meta.url);

function task(id: number, what: string): TaskSpec {
  return { id, kind: 'survey', paths: [what], stats: [], dir: '', formats: [], analyze: {} };
}

const threadOf = (o: TaskOutcome) => (o.ok ? o.generatedAt : -1);

describe('WorkerPool', () => {
  it('runs at most `size` tasks at once, on that many threads', async () => {
    const pool = new WorkerPool(2, { url: FAKE });
    try {
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.run(task(i, 'wait:150'))));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(outcomes.map((o) => o.id)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(new Set(outcomes.map(threadOf)).size).toBe(2);
      // When the workers themselves say they were busy: never three at once.
      const spans = outcomes.map(
        (o) => (o.ok ? (o.facts[0] as unknown as { start: number; end: number }) : null)!,
      );
      // The most at once is reached at some task's start: count the tasks running then.
      for (const a of spans) {
        expect(spans.filter((b) => b.start <= a.start && a.start < b.end).length).toBeLessThanOrEqual(2);
      }
    } finally {
      await pool.close();
    }
  });

  it('fails only the task whose worker ran out of heap, threw or exited, and goes on with new workers', async () => {
    const pool = new WorkerPool(1, { url: FAKE, heapMb: 16 });
    try {
      const [oom, ok1, thrown, ok2, exited, ok3] = await Promise.all(
        ['oom', 'ok', 'throw', 'ok', 'exit', 'ok'].map((w, i) => pool.run(task(i, w))),
      );
      expect(oom).toMatchObject({ ok: false, internal: false });
      expect(!oom.ok && oom.reason).toMatch(
        /^ran out of memory \(worker heap limit 16 MiB\); analyse it alone/,
      );
      expect(thrown).toMatchObject({ ok: false, internal: true });
      expect(!thrown.ok && thrown.reason).toMatch(/internal error .*: boom$/);
      expect(exited).toMatchObject({ ok: false, internal: true });
      expect(!exited.ok && exited.reason).toMatch(/the worker thread stopped unexpectedly/);
      for (const o of [ok1, ok2, ok3]) expect(o.ok).toBe(true);
      // Each failure cost a worker: the good tasks ran on three different threads.
      expect(new Set([ok1, ok2, ok3].map(threadOf)).size).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('answers running and queued tasks as interrupted when closed', async () => {
    const pool = new WorkerPool(1, { url: FAKE });
    const slow = pool.run(task(0, 'wait:10000'));
    const queued = pool.run(task(1, 'wait:0'));
    await new Promise((r) => setTimeout(r, 100));
    await pool.close();
    expect(await slow).toMatchObject({ ok: false, interrupted: true });
    expect(await queued).toMatchObject({ ok: false, interrupted: true });
    expect(await pool.run(task(2, 'wait:0'))).toMatchObject({ ok: false, interrupted: true });
  });

  it('runs the built worker when the pool itself is TypeScript source', () => {
    expect(workerUrl().pathname).toMatch(/\/dist\/batch\/worker\.js$/);
  });
});
