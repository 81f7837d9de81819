import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledWorker } from '../../src/util/worker-file.js';

describe('compiledWorker', () => {
  it('finds the built worker in dist/ for a module run from src/ (npm test builds first)', () => {
    const url = new URL('../../src/report/charts/worker.js', import.meta.url);
    expect(existsSync(fileURLToPath(url))).toBe(false);
    expect(compiledWorker(url)).toBe(
      fileURLToPath(new URL('../../dist/report/charts/worker.js', import.meta.url)),
    );
  });

  it('takes a worker that is where it is asked for, and says null when there is none', () => {
    const here = new URL(import.meta.url);
    expect(compiledWorker(here)).toBe(fileURLToPath(here));
    expect(compiledWorker(new URL('../../src/util/no-such-worker.js', import.meta.url))).toBeNull();
  });
});
